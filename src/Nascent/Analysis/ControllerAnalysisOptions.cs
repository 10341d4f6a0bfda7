using Nascent.Core;

namespace Nascent.Analysis;

/// <summary>How much <see cref="ControllerAnalysis"/> samples and measures (defaults: `nascent analyze controller`).</summary>
public sealed record ControllerAnalysisOptions
{
    /// <summary>Architectures sampled from the controller, with their hidden states.</summary>
    public int Samples { get; init; } = 300;
    /// <summary>Pairs of samples compared (a seeded random subset, or all pairs when there are fewer).</summary>
    public int Pairs { get; init; } = 2000;
    /// <summary>Experiment (a): continuations sampled after each fixed prefix.</summary>
    public int PrefixSamples { get; init; } = 50;
    /// <summary>Experiment (a): prefixes fixed per prefix length (each taken from one of the samples).</summary>
    public int PrefixAnchors { get; init; } = 4;
    /// <summary>Experiment (a): pairs compared within each group (a seeded random subset when the group has more;
    /// 50 continuations make 1,225 pairs, and an ENAS cell pair costs about a millisecond).</summary>
    public int GroupPairs { get; init; } = 300;
    /// <summary>Experiment (a): prefix lengths as fractions of the decisions (rounded, at least 1, at most all but one).</summary>
    public IReadOnlyList<double> PrefixFractions { get; init; } = [0.25, 0.5, 0.75];
    public int BootstrapResamples { get; init; } = Correlation.DefaultResamples;
    public int WlIterations { get; init; } = WeisfeilerLehmanKernel.DefaultIterations;
    /// <summary>Node expansions the exact graph edit distance may spend per pair (per cell) before it settles for a bound.</summary>
    public long GedBudget { get; init; } = GraphEditDistance.DefaultBudget;
    public ulong Seed { get; init; } = 0;

    public void Validate()
    {
        if (Samples < 3) throw new NascentException($"--samples must be at least 3 (got {Samples}).");
        if (Pairs < 3) throw new NascentException($"--pairs must be at least 3 (got {Pairs}).");
        if (PrefixSamples < 2) throw new NascentException($"--prefix-samples must be at least 2 (got {PrefixSamples}).");
        if (GroupPairs < 1) throw new NascentException($"Pairs per prefix group must be at least 1 (got {GroupPairs}).");
        if (PrefixAnchors < 1) throw new NascentException($"--prefix-anchors must be at least 1 (got {PrefixAnchors}).");
        if (PrefixFractions.Count == 0 || PrefixFractions.Any(f => !(f > 0 && f < 1)))
            throw new NascentException($"Prefix fractions must lie strictly between 0 and 1 (got {string.Join(", ", PrefixFractions)}).");
        if (BootstrapResamples < 1) throw new NascentException($"--bootstrap must be at least 1 (got {BootstrapResamples}).");
        if (WlIterations < 0) throw new NascentException($"--wl-iterations must not be negative (got {WlIterations}).");
        if (GedBudget < 1) throw new NascentException($"The graph edit distance budget must be at least 1 (got {GedBudget}).");
    }
}
