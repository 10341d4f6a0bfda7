namespace Nascent.Experiments.Search;

/// <summary>
/// What a search trains on, images or text, and what it builds from it: the supernet of a weight-sharing strategy,
/// the from-scratch evaluator of a one-at-a-time one, and the device costs of candidates. The search itself does
/// not know which it has.
/// </summary>
public abstract class SearchData(SearchConfig config) : IDisposable
{
    protected SearchConfig Config { get; } = config;
    protected SearchSpace Space { get; } = config.CreateSpace();

    /// <summary>Loads (or fetches) the data, once.</summary>
    public abstract void Load(IProgress<ProgressEvent>? progress);

    /// <summary>Whether the networks' input shape and classes are known only once the data is loaded (an image
    /// folder): then the search loads it before building the strategy; otherwise once the run directory is open.</summary>
    public virtual bool ShapeFromFiles => false;

    /// <summary>A model of each cost, to price candidates before they are trained (DPP-Net); empty without costs.</summary>
    public abstract IReadOnlyList<ICostModel> CostModels(CostObjectives costs, LatencyTable? latency);

    public abstract ISupernet CreateSupernet();

    public abstract IEvaluator CreateTrainingEvaluator(LatencyTable? latency);

    /// <summary>The search's answer as result.json gives it.</summary>
    public abstract BestArchitecture Best(Trial best, IReadOnlyDictionary<string, double>? costs);

    public abstract void Dispose();
}

/// <summary>An image data set: a supernet of cells, or networks trained from scratch, with measured costs.</summary>
public sealed class ImageSearchData : SearchData
{
    private readonly DatasetKind _kind;
    private DataSplits? _data;

    public ImageSearchData(SearchConfig config) : base(config) => _kind = DatasetKinds.Parse(config.Dataset);

    private DataSplits Data => _data ?? throw new InvalidOperationException("Load the data first.");

    public override bool ShapeFromFiles => !_kind.IsBuiltIn();

    // A built-in set's shape and classes are fixed; a folder's are read from its files (so it is loaded first).
    private (int Channels, int Height, int Width, int Classes) Shape => _kind.IsBuiltIn()
        ? (_kind.InputShape().Channels, _kind.InputShape().Height, _kind.InputShape().Width, _kind.Classes())
        : (Data.Train.Channels, Data.Train.Height, Data.Train.Width, Data.Train.Classes);

    private NetworkOptions Network(bool supernet) => Config.Training.Network(Shape.Channels, Shape.Classes, supernet);

    public override void Load(IProgress<ProgressEvent>? progress) =>
        _data ??= DatasetLoader.Load(Config.Data.ImageOptions(Config.Seed), progress);

    public override IReadOnlyList<ICostModel> CostModels(CostObjectives costs, LatencyTable? latency)
    {
        var network = Network(supernet: false);
        var (_, height, width, _) = Shape;
        latency?.EnsureMatches(Space, network, height, width);
        return costs.Costs.Select(c => Costs.CostModels.Measured(c, network, height, width, latency)).ToArray();
    }

    public override ISupernet CreateSupernet() => new ImageSupernet(NetworkFactory.CreateSupernet(Space, Network(supernet: true)), Data,
        Config.Training.ImageOptions(), Config.Seed, Config.WeightSharing.RewardImages, Config.WeightSharing.RankingImages);

    public override IEvaluator CreateTrainingEvaluator(LatencyTable? latency) =>
        new ScratchTrainingEvaluator(Network(supernet: false), Config.Training.ImageOptions(), Data, Config.Seed, latency);

    public override BestArchitecture Best(Trial best, IReadOnlyDictionary<string, double>? costs) =>
        new(best.Architecture.ToString(), best.Measured.Accuracy, best.Measured.TestAccuracy, best.Measured.Parameters ?? 0, costs);

    public override void Dispose() => _data?.Dispose();
}

/// <summary>A word-level corpus: a language-model supernet of recurrent cells, or cell models trained from scratch;
/// every trial's objective is ENAS's reward c / perplexity (<see cref="LanguageModelScore"/>).</summary>
public sealed class TextSearchData : SearchData
{
    private readonly TextCorpus _corpus;
    private LanguageModelData? _data;

    /// <summary>Reads the corpus at once, so missing text fails before the run directory exists.</summary>
    public TextSearchData(SearchConfig config) : base(config) => _corpus = config.Language.LoadCorpus(config.Dataset, config.Data.DataDir);

    private LanguageModelData Data => _data ?? throw new InvalidOperationException("Load the data first.");
    private LanguageModelOptions ModelOptions => Config.Language.ModelOptions(_corpus.Vocabulary.Count);
    private TrainingOptions Training => Config.Language.TrainingOptions(Config.Training.Epochs, Config.Training.BatchSize, Config.Training.LearningRate);

    public override void Load(IProgress<ProgressEvent>? progress)
    {
        _data = new LanguageModelData(_corpus, Config.Training.BatchSize, Config.Language.EvalBatchSize);
        progress.Message($"{_corpus.Description}: vocabulary {_corpus.Vocabulary.Count}, tokens {_corpus.Train.Length} train, " +
            $"{_corpus.Validation.Length} validation, {_corpus.Test.Length} test");
    }

    public override IReadOnlyList<ICostModel> CostModels(CostObjectives costs, LatencyTable? latency) => [];

    /// <summary>Normalised as ENAS's and DARTS's search cells are: without it a NAO-WS supernet diverged within 8 steps.</summary>
    public override ISupernet CreateSupernet() => new LanguageModelSupernet(
        new CellLanguageModel((RecurrentCellSpace)Space, ModelOptions with { NormalizeHidden = true }, new Core.SeededRandom(Config.Seed)),
        Data, Training, Config.Language.Bptt, Config.Language.RankingWindows);

    public override IEvaluator CreateTrainingEvaluator(LatencyTable? latency) =>
        new LanguageModelTrainingEvaluator(Data, ModelOptions, Training, Config.Language.Bptt, Config.Seed, null);

    public override BestArchitecture Best(Trial best, IReadOnlyDictionary<string, double>? costs) =>
        new(best.Architecture.ToString(), best.Measured.Accuracy, null, best.Measured.Parameters ?? 0,
            new Dictionary<string, double> { ["validation_perplexity"] = LanguageModelScore.PerplexityOf(best.Measured) });

    public override void Dispose() => _data?.Dispose();
}
