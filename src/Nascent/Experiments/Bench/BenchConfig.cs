namespace Nascent.Experiments.Bench;

/// <summary>
/// A tabular benchmark run (<c>nascent bench</c>): each strategy, <see cref="Seeds"/> times, the table's queries
/// each, scored against the baseline strategy (written to the run's config.json).
/// </summary>
public sealed record BenchConfig
{
    public TableSettings Table { get; init; } = new();
    [Setting("the space of the arch column: nb201 or enas-micro")]
    public string Space { get; init; } = "nb201";
    /// <summary>Nodes per cell (enas-micro); null for the space's default.</summary>
    [Setting("nodes per cell of enas-micro (default 5)", Min = 1)]
    public int? Nodes { get; init; }
    [Setting("cost columns (e.g. a latency column): recorded for every trial; each run is scored by the hypervolume of what it " +
             "evaluated (objective against the costs, reference point the table's worst values)")]
    public IReadOnlyList<string> Costs { get; init; } = [];
    [Setting("largest acceptable first cost", Min = 0, MinExclusive = true)]
    public double? Budget { get; init; }
    [Setting("strategies run, one at a time each (see Strategies below)")]
    public IReadOnlyList<string> Strategies { get; init; } = [RandomSearch.Descriptor.Name, RegularizedEvolution.Descriptor.Name];
    /// <summary>Options of the named strategies, by name; a strategy not named here runs with its defaults.</summary>
    public IReadOnlyDictionary<string, IStrategyOptions>? StrategyOptions { get; init; }
    [Setting("runs per strategy", Min = 1)]
    public int Seeds { get; init; } = 100;
    /// <summary>Runs use seeds FirstSeed, FirstSeed + 1, ..., the same for every strategy.</summary>
    [Setting("seed of the first run")]
    public ulong FirstSeed { get; init; }
    /// <summary>Query counts at which the summary reports each strategy (default 50, 100, 150, 300 up to the
    /// queries, and the queries themselves).</summary>
    [Setting("query counts reported in the table (default 50,100,150,300 up to the queries, and the queries)")]
    public IReadOnlyList<int>? Checkpoints { get; init; }
    /// <summary>The strategy the others are compared with (Welch's t-test), when it is among them.</summary>
    [Setting("the strategy the others are compared with")]
    public string Baseline { get; init; } = RandomSearch.Descriptor.Name;
    /// <summary>Architectures of the table a run never evaluated on which a learned predictor's ranking is scored
    /// (Kendall's τ against the objective column).</summary>
    [Setting("unevaluated architectures a learned predictor's ranking is scored on (Kendall's tau)", Min = 0)]
    public int HeldOut { get; init; } = 1000;
    /// <summary>Runs in parallel (default: one per core).</summary>
    [Setting("runs in parallel (default: one per core)", Min = 1)]
    public int? Threads { get; init; }
    [Setting("run directory (default runs/<time>-bench)")]
    public string? Out { get; init; }

    public SearchSpace CreateSpace() => SpaceCatalog.Create(Space, Nodes);

    public TabularColumns TabularColumns() => Table.Columns(Costs);

    public CostObjectives CostObjectives() => new() { Costs = Costs.Select(c => new CostMetric(c)).ToArray(), Budget = Budget };

    /// <summary>The options of <paramref name="descriptor"/>'s runs.</summary>
    public IStrategyOptions OptionsOf(StrategyDescriptor descriptor) =>
        StrategyOptions?.GetValueOrDefault(descriptor.Name) ?? descriptor.DefaultOptionsFor(Space);

    public IReadOnlyList<int> EffectiveCheckpoints() => (Checkpoints ?? new[] { 50, 100, 150, 300 }.Where(q => q <= Table.Queries))
        .Append(Table.Queries).Distinct().Order().ToArray();

    public void Validate()
    {
        Settings.Validate(this);
        if (Table.Tables.Count == 0) throw new NascentException("nascent bench needs --table FILE.csv (repeat it to join tables).");
        if (Strategies.Count == 0) throw new NascentException("--strategies needs at least one strategy (e.g. rs,rea).");
        var descriptors = Strategies.Select(StrategyCatalog.OneAtATime).ToArray();
        var repeated = descriptors.GroupBy(d => d.Name).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new NascentException($"--strategies names '{repeated.Key}' twice.");
        Table.Validate(Costs);
        foreach (var q in Checkpoints ?? [])
            if (q < 1 || q > Table.Queries) throw new NascentException($"--checkpoints {q} is outside 1..{Table.Queries} (the --queries of the run).");
        bool hasCosts = Costs.Count > 0;
        var needsCost = descriptors.FirstOrDefault(d => d.NeedsCost);
        if (needsCost is not null && !hasCosts)
            throw new NascentException($"Strategy {needsCost.Name} trades accuracy against a device cost: name it with --cost (a table column, e.g. a latency column).");
        if (Budget is not null && !hasCosts) throw new NascentException("--budget applies to the first --cost: name the cost.");
        if (hasCosts) CostObjectives().Validate();
        var space = CreateSpace();
        foreach (var d in descriptors)
        {
            if (!d.RunsOn(space.Name))
                throw new NascentException($"Strategy {d.Name} is not defined on the {space.Name} space here; it runs on {d.SpacesText}.");
            OptionsOf(d).Validate();
        }
    }
}
