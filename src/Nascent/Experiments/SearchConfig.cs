using System.Text.Json.Serialization;
using Nascent.Core;
using Nascent.Data;
using Nascent.Evaluation;
using Nascent.Nn;
using Nascent.Objectives;
using Nascent.Spaces;
using Nascent.Strategies;
using Nascent.Training;

namespace Nascent.Experiments;

/// <summary>
/// Everything a search needs, as the command line spells it (written to the run's config.json). Defaults give a
/// meaningful MNIST search that finishes in a few minutes on a 2-core machine (docs/BENCHMARKS.md).
/// </summary>
public sealed record SearchConfig
{
    public string Space { get; init; } = "nb201";
    /// <summary>Nodes per cell (enas-micro, enas-rnn, nao-rnn); null for the space's default.</summary>
    public int? Nodes { get; init; }
    public string Strategy { get; init; } = "rsws";
    public string Dataset { get; init; } = "mnist";
    public string? DataDir { get; init; }
    /// <summary>Supernet epochs (weight sharing), or each candidate's epochs (random search from scratch).</summary>
    public int Epochs { get; init; } = 2;
    public int? TrainSubset { get; init; } = 10000;
    public int ValidationSize { get; init; } = 5000;
    public ulong Seed { get; init; } = 0;
    public string? Out { get; init; }
    public int Channels { get; init; } = 16;
    public int Cells { get; init; } = 1;
    public int BatchSize { get; init; } = 64;
    /// <summary>The network's SGD learning rate; null: 0.05 for image networks, 20 for language models.</summary>
    public double? LearningRate { get; init; }
    /// <summary>Corpus, model size and windows of a search over a recurrent cell space (enas-rnn, nao-rnn).</summary>
    public LanguageModelSettings Language { get; init; } = new();

    [JsonIgnore]
    public bool IsLanguageModel => SpaceCatalog.IsRecurrent(Space);
    /// <summary>Architectures to evaluate: ranked on shared weights (rsws) or trained from scratch (random).</summary>
    public int Candidates { get; init; } = 100;
    /// <summary>Validation images each candidate is ranked on (rsws); the top ones are then scored on all of them.</summary>
    public int RankingImages { get; init; } = 1000;
    public int FinalTop { get; init; } = 5;

    /// <summary>ENAS: controller updates after each supernet epoch, samples per update, and the validation images
    /// each sample's reward is measured on (one minibatch, cycling through the validation set).</summary>
    public int ControllerSteps { get; init; } = new ControllerOptions().UpdatesPerEpoch;
    public int ControllerSamples { get; init; } = new ControllerOptions().SamplesPerUpdate;
    public double ControllerLearningRate { get; init; } = new ControllerOptions().LearningRate;
    public double EntropyWeight { get; init; } = new ControllerOptions().EntropyWeight;
    public int LstmSize { get; init; } = new ControllerOptions().LstmSize;
    public int RewardImages { get; init; } = 128;
    /// <summary>The memory-buffer controller (enas-memory).</summary>
    public int MemorySize { get; init; } = new MemoryBufferOptions().Size;
    public int MemoryReplays { get; init; } = new MemoryBufferOptions().Replays;
    public double MemoryAuxWeight { get; init; } = new MemoryBufferOptions().AuxiliaryWeight;

    /// <summary>A latency lookup table (<c>nascent latency profile</c>) that predicts each candidate's latency in a
    /// from-scratch search; without it latency is measured on each trained network.</summary>
    public string? LatencyTable { get; init; }

    /// <summary>Tabular benchmark CSV files (joined on the architecture). When given, the search looks results up
    /// instead of training: no data set, epochs or network options are used.</summary>
    public IReadOnlyList<string>? Tables { get; init; }
    /// <summary>Table column to maximize (reported as best.val_acc).</summary>
    public string? Objective { get; init; }
    /// <summary>Table column reported for the best architecture (best.test_acc).</summary>
    public string? Report { get; init; }
    /// <summary>Costs recorded with every trial and weighed by a device-aware search (the first one by MONAS's reward
    /// and the budget): table columns in a tabular search; latency, params or flops in a training search. With costs
    /// a search also returns the Pareto front of what it evaluated.</summary>
    public IReadOnlyList<string>? Costs { get; init; }
    /// <summary>Budget, MONAS's reward and DPP-Net's options, for a search with costs.</summary>
    public DeviceSearchOptions Device { get; init; } = new();
    /// <summary>Table column of simulated training seconds per query; with <see cref="TimeBudget"/> it ends the run.</summary>
    public string? TimeColumn { get; init; }
    public double? TimeBudget { get; init; }
    /// <summary>Table lookups (trials) of a tabular search.</summary>
    public int Queries { get; init; } = 150;
    /// <summary>Regularized evolution's population and tournament sample size (strategy rea).</summary>
    public int Population { get; init; } = new RegularizedEvolutionOptions().PopulationSize;
    public int SampleSize { get; init; } = new RegularizedEvolutionOptions().SampleSize;
    /// <summary>NAO (nao, nao-ws): seed architectures (the pool with weight sharing), new ones per iteration, the top
    /// ones moved in the embedding, and the encoder-predictor-decoder's epochs per iteration.</summary>
    public int NaoSeed { get; init; } = new NaoOptions().SeedArchitectures;
    public int NaoNew { get; init; } = new NaoOptions().NewPerIteration;
    public int NaoTop { get; init; } = new NaoOptions().TopK;
    public int NaoEpochs { get; init; } = new NaoOptions().Epochs;

    /// <summary>PARSEC (parsec): samples per step (K), the prior's learning rate, its update schedule, whether it
    /// learns from validation batches, how often the most probable architecture is probed; <see cref="PriorFrom"/>
    /// starts π from a finished parsec run's distribution.json, and with <see cref="PriorWeights"/> the shared weights
    /// from its supernet.dat.</summary>
    public int ParsecSamples { get; init; } = new ParsecOptions().Samples;
    public double? ParsecLearningRate { get; init; } = new ParsecOptions().PriorLearningRate;
    public int ParsecEvery { get; init; } = new ParsecOptions().PriorEvery;
    public int ParsecWarmup { get; init; } = new ParsecOptions().WarmupSteps;
    public bool ParsecOnValidation { get; init; } = new ParsecOptions().PriorOnValidation;
    public int ParsecProbeEvery { get; init; } = new ParsecOptions().ProbeEvery;
    public int ParsecProbeImages { get; init; } = new ParsecOptions().ProbeImages;
    public string? PriorFrom { get; init; }
    public bool PriorWeights { get; init; }
    /// <summary>DARTS (darts): the architecture parameters' Adam learning rate.</summary>
    public double DartsLearningRate { get; init; } = new DartsOptions().LearningRate;

    /// <summary>Checkpoint interval: trials of a one-at-a-time search, supernet epochs of a weight-sharing one
    /// (null: 10 trials or every epoch; 0: none, a resume then replays the run from its trials).</summary>
    public int? CheckpointEvery { get; init; }

    [JsonIgnore]
    public int CheckpointInterval => CheckpointEvery ?? (IsWeightSharing ? 1 : 10);

    [JsonIgnore]
    public bool IsTabular => Tables is { Count: > 0 };

    public TabularColumns TabularColumns() => new(Objective ?? "", Report, Costs, TimeColumn);

    public RegularizedEvolutionOptions EvolutionOptions() => new() { PopulationSize = Population, SampleSize = SampleSize };

    public ControllerOptions ControllerOptions() => new()
    {
        UpdatesPerEpoch = ControllerSteps, SamplesPerUpdate = ControllerSamples, LearningRate = ControllerLearningRate,
        EntropyWeight = EntropyWeight, LstmSize = LstmSize,
    };

    public MemoryBufferOptions MemoryOptions() => new() { Size = MemorySize, Replays = MemoryReplays, AuxiliaryWeight = MemoryAuxWeight };

    public NaoOptions NaoOptions() => new() { SeedArchitectures = NaoSeed, NewPerIteration = NaoNew, TopK = NaoTop, Epochs = NaoEpochs };

    public CostObjectives CostObjectives() => Device.Objectives(Costs);

    [JsonIgnore]
    public bool IsMultiObjective => Costs is { Count: > 0 };
    public ParsecOptions ParsecOptions() => new()
    {
        Samples = ParsecSamples, PriorLearningRate = ParsecLearningRate, PriorEvery = ParsecEvery, WarmupSteps = ParsecWarmup,
        PriorOnValidation = ParsecOnValidation, ProbeEvery = ParsecProbeEvery, ProbeImages = ParsecProbeImages,
    };

    public DartsOptions DartsOptions() => new() { LearningRate = DartsLearningRate };

    public StrategyOptions StrategyOptions() => new()
    {
        Evolution = EvolutionOptions(), Controller = ControllerOptions(), Memory = MemoryOptions(), Nao = NaoOptions(),
        Dpp = Device.Dpp(), Costs = CostObjectives(),
        Parsec = ParsecOptions(), Darts = DartsOptions(),
    };

    [JsonIgnore]
    public bool IsWeightSharing => StrategyCatalog.IsWeightSharing(Strategy);

    public SearchSpace CreateSpace() => SpaceCatalog.Create(Space, Nodes);

    public DataOptions DataOptions() => new()
    {
        Dataset = DatasetKinds.Parse(Dataset),
        DataDirectory = DataDirectories.Resolve(DataDir),
        ValidationSize = ValidationSize,
        TrainSubset = TrainSubset,
        Seed = Seed,
    };

    public TrainingOptions TrainingOptions() => new()
    {
        Epochs = Epochs, BatchSize = BatchSize, LearningRate = LearningRate ?? 0.05,
    };

    public NetworkOptions NetworkOptions(ImageDataset data, bool supernet) =>
        new(data.Channels, data.Classes, Channels, Cells, TrackRunningStats: !supernet);

    public void Validate()
    {
        if (CheckpointEvery < 0) throw new NascentException($"--checkpoint-every must be 0 (never) or more (got {CheckpointEvery}).");
        if (IsLanguageModel)
        {
            LanguageModelSearch.Validate(this);
            return;
        }
        Device.Validate(Costs, [Strategy], IsTabular);
        if (IsTabular)
        {
            StrategyCatalog.Validate(Strategy);
            TabularColumns().Validate();
            if (Queries < 1) throw new NascentException($"--queries must be at least 1 (got {Queries}).");
            if (TimeBudget is not null && TimeColumn is null)
                throw new NascentException("--time-budget needs --time-column COLUMN: the table column of simulated training seconds.");
            if (TimeBudget is <= 0) throw new NascentException($"--time-budget must be positive (got {TimeBudget}).");
            if (Strategy == "rea") EvolutionOptions().Validate();
            if (Strategy == "nao") NaoOptions().Validate();
            if (LatencyTable is not null)
                throw new NascentException("A tabular search (--table) looks its costs up: drop --latency-table (use --cost COLUMN for a latency column).");
            CreateSpace();
            return;
        }
        if (!IsWeightSharing && !StrategyCatalog.Names.Append("random").Contains(Strategy))
            throw new NascentException($"Unknown strategy '{Strategy}': use {string.Join(", ", StrategyCatalog.WeightSharingNames.Concat(StrategyCatalog.Names))}.");
        if (Strategy == "rea") EvolutionOptions().Validate();
        if (LatencyTable is not null && IsWeightSharing)
            throw new NascentException($"--latency-table prices candidates trained from scratch (--strategy rs, rea, reinforce, nao, monas, dpp); {Strategy} ranks them on shared weights.");
        if (Strategy is "enas" or "enas-memory" or "reinforce") ControllerOptions().Validate();
        if (Strategy == "enas-memory") MemoryOptions().Validate();
        if (Strategy is "nao" or "nao-ws") NaoOptions().Validate();
        if (IsMultiObjective)
        {
            if (IsWeightSharing)
                throw new NascentException($"--cost weighs the architectures a search evaluates one at a time; {Strategy} ranks a supernet's paths. " +
                    $"Use rs, monas or dpp (trained from scratch) or a tabular search.");
            var unknown = Costs!.FirstOrDefault(c => !CostMetric.MeasuredNames.Contains(c));
            if (unknown is not null)
                throw new NascentException($"--cost {unknown}: a training search measures {string.Join(", ", CostMetric.MeasuredNames)}; table columns need --table.");
            if (Strategy == "dpp" && Costs!.Contains(CostMetric.Latency) && LatencyTable is null)
                throw new NascentException("dpp weighs thousands of untrained candidates by latency: give a latency table with --latency-table FILE " +
                    "(made by nascent latency profile), or use --cost params or flops.");
        }
        if (Strategy == "parsec") ParsecOptions().Validate();
        if (Strategy == "darts")
        {
            DartsOptions().Validate();
            if (Space != "nb201")
                throw new NascentException($"--strategy darts needs a continuous relaxation of the space; one is defined for nb201 only (got --space {Space}).");
        }
        if (PriorFrom is not null && Strategy != "parsec")
            throw new NascentException($"--prior-from starts a PARSEC distribution: use it with --strategy parsec (got {Strategy}).");
        if (PriorWeights && PriorFrom is null)
            throw new NascentException("--prior-weights loads the shared weights of the --prior-from run: add --prior-from RUN_DIR.");
        if (RewardImages < 1) throw new NascentException($"--reward-images must be at least 1 (got {RewardImages}).");
        if (Candidates < 1) throw new NascentException($"--candidates must be at least 1 (got {Candidates}).");
        if (RankingImages < 1) throw new NascentException($"--ranking-images must be at least 1 (got {RankingImages}).");
        if (FinalTop < 1) throw new NascentException($"--final-top must be at least 1 (got {FinalTop}).");
        CreateSpace();
        TrainingOptions().Validate();
        new NetworkOptions(1, 10, Channels, Cells).Validate();
        DatasetKinds.Parse(Dataset);
    }
}
