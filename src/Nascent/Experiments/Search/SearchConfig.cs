using System.Text.Json.Serialization;

namespace Nascent.Experiments.Search;

/// <summary>
/// Everything a search needs (written to the run's config.json): the space, the strategy and its own options record,
/// the data and training records shared with train and compare, the ranking of a weight-sharing search, a tabular
/// benchmark, the costs of a device-aware search. Defaults give a meaningful MNIST search that finishes in a few
/// minutes on a 2-core machine (docs/BENCHMARKS.md).
/// </summary>
public sealed record SearchConfig
{
    /// <summary>The layout of config.json; runs written before the strategy descriptors (a flat layout, no format)
    /// are refused in one line when resumed.</summary>
    public const int CurrentFormat = 2;
    public int Format { get; init; } = CurrentFormat;

    [Setting("search space: nb201, enas-micro, enas-rnn or nao-rnn (recurrent cells for language models); with a table, the space of its arch column")]
    public string Space { get; init; } = "nb201";
    /// <summary>Nodes per cell (enas-micro, enas-rnn, nao-rnn); null for the space's default.</summary>
    [Setting("nodes per cell of enas-micro (default 5), enas-rnn and nao-rnn (default 8)", Min = 1)]
    public int? Nodes { get; init; }
    [Setting("the strategy (see Strategies below; rs with a table)")]
    public string Strategy { get; init; } = RandomSearch.WeightSharingDescriptor.Name;
    /// <summary>The strategy's options, a record of its descriptor's <see cref="StrategyDescriptor.OptionsType"/>;
    /// null: its defaults.</summary>
    public IStrategyOptions? StrategyOptions { get; init; }
    public DataSettings Data { get; init; } = new();
    public TrainingSettings Training { get; init; } = new();
    /// <summary>Architectures to evaluate: ranked on shared weights (weight sharing) or trained from scratch.</summary>
    [Setting("architectures evaluated", Min = 1)]
    public int Candidates { get; init; } = 100;
    public WeightSharingOptions WeightSharing { get; init; } = new();
    /// <summary>Corpus, model size and windows of a search over a recurrent cell space (enas-rnn, nao-rnn).</summary>
    public LanguageModelSettings Language { get; init; } = new();
    /// <summary>A tabular benchmark: when given, the search looks results up instead of training, and no data,
    /// training or network settings are used.</summary>
    public TableSettings? Table { get; init; }
    /// <summary>Costs recorded with every trial and weighed by a device-aware search (the first one by a reward and
    /// the budget): table columns in a tabular search; latency, params or flops in a training search. With costs a
    /// search also returns the Pareto front of what it evaluated.</summary>
    [Setting("costs traded against accuracy, the first weighed by the budget: table columns in a tabular search; latency, params or flops when training")]
    public IReadOnlyList<string>? Costs { get; init; }
    /// <summary>Largest acceptable first cost: the best architecture within it is returned (and MONAS uses its
    /// constrained reward).</summary>
    [Setting("largest acceptable first cost", Min = 0, MinExclusive = true)]
    public double? Budget { get; init; }
    /// <summary>A latency lookup table (<c>nascent latency profile</c>) that predicts each candidate's latency in a
    /// from-scratch search; without it latency is measured on each trained network.</summary>
    [Setting("from-scratch strategies: each candidate's latency predicted by this table (nascent latency profile; same space, " +
             "input shape and network size) instead of measured on the trained network (batch 1)")]
    public string? LatencyTable { get; init; }
    [Setting("one seed for every random choice")]
    public ulong Seed { get; init; }
    [Setting("run directory (default runs/<time>-search)")]
    public string? Out { get; init; }
    /// <summary>Checkpoint interval: trials of a one-at-a-time search, supernet epochs of a weight-sharing one
    /// (null: 10 trials or every epoch; 0: none, a resume then replays the run from its trials).</summary>
    [Setting("checkpoint every N trials (one at a time) or supernet epochs (default 10 trials, 1 epoch; 0: never)", Min = 0)]
    public int? CheckpointEvery { get; init; }

    /// <summary>Where the trials are kept: null for the run directory's trials.db (SQLite), or a PostgreSQL study
    /// (<see cref="PostgresTrialStore"/>), which workers on other machines reach with <c>nascent worker --store</c>.</summary>
    [Setting("trial store: postgresql://USER@HOST:PORT/DB?study=NAME for workers on many machines (password: PGPASSWORD or a pgpass file); default: RUN_DIR/trials.db")]
    public string? Store { get; init; }

    /// <summary>Batches, asynchronous telling and the workers' heartbeat (one-at-a-time strategies).</summary>
    public QueueSettings Queue { get; init; } = new();

    [JsonIgnore] public StrategyDescriptor Descriptor => StrategyCatalog.Get(Strategy);
    [JsonIgnore] public bool IsLanguageModel => SpaceCatalog.IsRecurrent(Space);
    [JsonIgnore] public bool IsTabular => Table is not null;
    [JsonIgnore] public bool IsWeightSharing => Descriptor.Kind == StrategyKind.WeightSharing;
    [JsonIgnore] public bool IsMultiObjective => Costs is { Count: > 0 };
    [JsonIgnore] public int CheckpointInterval => CheckpointEvery ?? (IsWeightSharing ? 1 : 10);
    /// <summary>The data set: named, or the space's default.</summary>
    [JsonIgnore] public string Dataset => Data.Dataset ?? (IsLanguageModel ? Language.DefaultDataset : DatasetKinds.Default);

    /// <summary>The strategy's options: as configured, or its descriptor's defaults.</summary>
    public IStrategyOptions Options() => StrategyOptions ?? Descriptor.DefaultOptionsFor(Space);

    public SearchSpace CreateSpace() => SpaceCatalog.Create(Space, Nodes);

    public CostObjectives CostObjectives() => new() { Costs = (Costs ?? []).Select(c => new CostMetric(c)).ToArray(), Budget = Budget };

    public TabularColumns TabularColumns() => Table!.Columns(Costs);

    public void Validate()
    {
        Settings.Validate(this);
        var descriptor = Descriptor;
        if (descriptor.Kind == StrategyKind.PerInstance)
            throw new NascentException($"Strategy {descriptor.Name} runs as its own search (nascent search --strategy {descriptor.Name} --help).");
        var options = Options();
        if (options.GetType() != descriptor.OptionsType)
            throw new NascentException($"Strategy {descriptor.Name} takes {descriptor.OptionsType.Name}, but the configuration holds {options.GetType().Name}.");
        options.Validate();
        var space = CreateSpace();
        if (!descriptor.RunsOn(space.Name))
            throw new NascentException($"Strategy {descriptor.Name} is not defined on the {space.Name} space here; it runs on {descriptor.SpacesText}.");
        bool hasCosts = IsMultiObjective;
        if (descriptor.NeedsCost && !hasCosts)
            throw new NascentException($"Strategy {descriptor.Name} trades accuracy against a device cost: name it with --cost " +
                $"({(IsTabular ? "a table column, e.g. a latency column" : string.Join(", ", CostMetric.MeasuredNames))}).");
        if (Budget is not null && !hasCosts) throw new NascentException("--budget applies to the first --cost: name the cost.");
        if (hasCosts) CostObjectives().Validate();
        Queue.Validate();
        if (IsWeightSharing && Queue.Queued(0))
            throw new NascentException($"--batch and --async spread trials trained one at a time; {descriptor.Name} trains one supernet in one process (drop them).");
        if (IsTabular) ValidateTabular(descriptor);
        else if (IsLanguageModel) ValidateLanguageModel(descriptor);
        else ValidateImages(descriptor);
    }

    private void ValidateTabular(StrategyDescriptor descriptor)
    {
        StrategyCatalog.OneAtATime(descriptor.Name);
        if (IsLanguageModel) throw new NascentException($"No tabular benchmark of {Space} is known: drop --table.");
        Table!.Validate(Costs);
        if (LatencyTable is not null)
            throw new NascentException("A tabular search (--table) looks its costs up: drop --latency-table (use --cost COLUMN for a latency column).");
    }

    private void ValidateLanguageModel(StrategyDescriptor descriptor)
    {
        Language.Validate(Dataset);
        if (Language.Model != "cell")
            throw new NascentException("--model lstm trains the LSTM baseline with nascent train; a search searches cells.");
        if (IsMultiObjective) throw new NascentException("A language-model search has no device costs here: drop --cost.");
        if (LatencyTable is not null) throw new NascentException("--latency-table prices image networks; a language-model search takes none.");
        Language.TrainingOptions(Training.Epochs, Training.BatchSize, Training.LearningRate).Validate();
    }

    private void ValidateImages(StrategyDescriptor descriptor)
    {
        if (LatencyTable is not null && IsWeightSharing)
            throw new NascentException($"--latency-table prices candidates trained from scratch " +
                $"(--strategy {StrategyCatalog.NamesOf(StrategyCatalog.OfKind(StrategyKind.OneAtATime))}); {descriptor.Name} ranks them on shared weights.");
        if (IsMultiObjective)
        {
            if (IsWeightSharing)
                throw new NascentException($"--cost weighs the architectures a search evaluates one at a time; {descriptor.Name} ranks a supernet's paths. " +
                    $"Use {StrategyCatalog.NamesOf(StrategyCatalog.OfKind(StrategyKind.OneAtATime).Where(d => d.NeedsCost).Prepend(RandomSearch.Descriptor))} (trained from scratch) or a tabular search.");
            var unknown = Costs!.FirstOrDefault(c => !CostMetric.MeasuredNames.Contains(c));
            if (unknown is not null)
                throw new NascentException($"--cost {unknown}: a training search measures {string.Join(", ", CostMetric.MeasuredNames)}; table columns need --table.");
            if (descriptor.PricesUntrainedCandidates && Costs!.Contains(CostMetric.Latency) && LatencyTable is null)
                throw new NascentException($"{descriptor.Name} weighs thousands of untrained candidates by latency: give a latency table with --latency-table FILE " +
                    "(made by nascent latency profile), or use --cost params or flops.");
        }
        Training.ImageOptions().Validate();
        Training.Network(1, 10, supernet: false).Validate();
        DatasetKinds.Parse(Dataset);
        Data.Validate();
    }
}
