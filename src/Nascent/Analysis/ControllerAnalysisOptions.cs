namespace Nascent.Analysis;

/// <summary>How much <see cref="ControllerAnalysis"/> samples and measures (defaults: `nascent analyze controller`).</summary>
public sealed record ControllerAnalysisOptions
{
    [Setting("architectures sampled with their hidden states", Min = 3)]
    public int Samples { get; init; } = 300;
    [Setting("sample pairs compared (a seeded random subset, or all pairs when there are fewer)", Min = 3)]
    public int Pairs { get; init; } = 2000;
    [Setting("experiment (a): continuations sampled after each fixed prefix", Min = 2)]
    public int PrefixSamples { get; init; } = 50;
    [Setting("experiment (a): prefixes fixed per prefix length (each taken from one of the samples)", Min = 1)]
    public int PrefixAnchors { get; init; } = 4;
    /// <summary>50 continuations make 1,225 pairs, and an ENAS cell pair costs about a millisecond.</summary>
    [Setting("experiment (a): pairs compared within each group (a seeded random subset when the group has more)", Min = 1)]
    public int GroupPairs { get; init; } = 300;
    /// <summary>Experiment (a): prefix lengths as fractions of the decisions (rounded, at least 1, at most all but one).</summary>
    public IReadOnlyList<double> PrefixFractions { get; init; } = [0.25, 0.5, 0.75];
    [Setting("bootstrap resamples for the 95 % intervals", Min = 1)]
    public int BootstrapResamples { get; init; } = Correlation.DefaultResamples;
    [Setting("Weisfeiler-Lehman iterations", Min = 0)]
    public int WlIterations { get; init; } = WeisfeilerLehmanKernel.DefaultIterations;
    [Setting("node expansions the exact graph edit distance may spend per pair (per cell) before it settles for a bound", Min = 1)]
    public long GedBudget { get; init; } = GraphEditDistance.DefaultBudget;
    /// <summary>`--variants`: the decision-recovery loss's weight of the third variant when the analysed run trained
    /// none. 0.1 is the weight Nascent's enas-memory used before the loss became optional (the earlier figures' weight);
    /// the paper gives none (only its abstract could be read, and it names no such loss).</summary>
    [Setting("--variants: weight of the decision-recovery loss in the third variant (when the run trained none)", Min = 0, MinExclusive = true)]
    public double VariantAuxiliaryWeight { get; init; } = 0.1;
    [Setting("seed of every sample, pair and resample")]
    public ulong Seed { get; init; } = 0;

    public void Validate()
    {
        Settings.Validate(this);
        if (PrefixFractions.Count == 0 || PrefixFractions.Any(f => !(f > 0 && f < 1)))
            throw new NascentException($"Prefix fractions must lie strictly between 0 and 1 (got {string.Join(", ", PrefixFractions)}).");
    }
}
