using Nascent.Core;
using Nascent.Evaluation;
using Nascent.Spaces;
using Nascent.Strategies;

namespace Nascent.Experiments;

/// <summary>
/// A tabular benchmark run (<c>nascent bench</c>): each strategy, <see cref="Seeds"/> times, <see cref="Queries"/>
/// table lookups each, scored against the baseline strategy (written to the run's config.json).
/// </summary>
public sealed record BenchConfig
{
    public IReadOnlyList<string> Tables { get; init; } = [];
    public string Space { get; init; } = "nb201";
    /// <summary>Nodes per cell (enas-micro, enas-rnn, nao-rnn); null for the space's default.</summary>
    public int? Nodes { get; init; }
    public string? Objective { get; init; }
    public string? Report { get; init; }
    public IReadOnlyList<string> Costs { get; init; } = [];
    public string? TimeColumn { get; init; }
    public double? TimeBudget { get; init; }
    public IReadOnlyList<string> Strategies { get; init; } = ["rs", "rea"];
    public int Queries { get; init; } = 150;
    public int Seeds { get; init; } = 100;
    /// <summary>Runs use seeds FirstSeed, FirstSeed + 1, ..., the same for every strategy.</summary>
    public ulong FirstSeed { get; init; } = 0;
    /// <summary>Query counts at which the summary reports each strategy (default 50, 100, 150, 300 up to
    /// <see cref="Queries"/>, and <see cref="Queries"/> itself).</summary>
    public IReadOnlyList<int>? Checkpoints { get; init; }
    /// <summary>The strategy the others are compared with (Welch's t-test), when it is among them.</summary>
    public string Baseline { get; init; } = "rs";
    public int Population { get; init; } = new RegularizedEvolutionOptions().PopulationSize;
    public int SampleSize { get; init; } = new RegularizedEvolutionOptions().SampleSize;
    /// <summary>NAO: seed architectures, new ones per iteration, the top ones moved, epochs per iteration.</summary>
    public int NaoSeed { get; init; } = new NaoOptions().SeedArchitectures;
    public int NaoNew { get; init; } = new NaoOptions().NewPerIteration;
    public int NaoTop { get; init; } = new NaoOptions().TopK;
    public int NaoEpochs { get; init; } = new NaoOptions().Epochs;
    /// <summary>Architectures of the table a run never evaluated on which a learned predictor's ranking is scored
    /// (Kendall's τ against the objective column).</summary>
    public int HeldOut { get; init; } = 1000;
    /// <summary>Budget, MONAS's reward and DPP-Net's options; with <see cref="Costs"/> every run is also scored by the
    /// hypervolume of what it evaluated.</summary>
    public DeviceSearchOptions Device { get; init; } = new();
    /// <summary>Runs in parallel (default: one per core).</summary>
    public int? Threads { get; init; }
    public string? Out { get; init; }

    public SearchSpace CreateSpace() => SpaceCatalog.Create(Space, Nodes);

    public TabularColumns TabularColumns() => new(Objective ?? "", Report, Costs, TimeColumn);

    public StrategyOptions StrategyOptions() => new()
    {
        Evolution = new() { PopulationSize = Population, SampleSize = SampleSize },
        Nao = new() { SeedArchitectures = NaoSeed, NewPerIteration = NaoNew, TopK = NaoTop, Epochs = NaoEpochs },
        Dpp = Device.Dpp(),
        Costs = Device.Objectives(Costs),
    };

    public IReadOnlyList<int> EffectiveCheckpoints() => (Checkpoints ?? new[] { 50, 100, 150, 300 }.Where(q => q <= Queries))
        .Append(Queries).Distinct().Order().ToArray();

    public void Validate()
    {
        if (Tables.Count == 0) throw new NascentException("nascent bench needs --table FILE.csv (repeat it to join tables).");
        if (Strategies.Count == 0) throw new NascentException("--strategies needs at least one strategy (e.g. rs,rea).");
        foreach (var name in Strategies) StrategyCatalog.Validate(name);
        var repeated = Strategies.GroupBy(s => s == "random" ? "rs" : s).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new NascentException($"--strategies names '{repeated.Key}' twice.");
        TabularColumns().Validate();
        if (Queries < 1) throw new NascentException($"--queries must be at least 1 (got {Queries}).");
        if (Seeds < 1) throw new NascentException($"--seeds must be at least 1 (got {Seeds}).");
        if (Threads is < 1) throw new NascentException($"--threads must be at least 1 (got {Threads}).");
        if (TimeBudget is not null && TimeColumn is null)
            throw new NascentException("--time-budget needs --time-column COLUMN: the table column of simulated training seconds.");
        if (TimeBudget is <= 0) throw new NascentException($"--time-budget must be positive (got {TimeBudget}).");
        foreach (var q in Checkpoints ?? [])
            if (q < 1 || q > Queries) throw new NascentException($"--checkpoints {q} is outside 1..{Queries} (the --queries of the run).");
        if (Strategies.Contains("rea")) StrategyOptions().Evolution.Validate();
        if (Strategies.Contains("nao")) StrategyOptions().Nao.Validate();
        Device.Validate(Costs, Strategies, tabular: true);
        if (HeldOut < 0) throw new NascentException($"--held-out must not be negative (got {HeldOut}).");
        CreateSpace();
    }
}
