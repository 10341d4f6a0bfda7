using Nascent.Data;
using Nascent.Experiments.Execution;
using Nascent.Experiments.Search;
using Nascent.Objectives;

namespace Nascent.Cli;

/// <summary>The language-model options of a recurrent cell space, shared by search, compare and train.</summary>
internal static class LanguageOptions
{
    public static SettingOptions<LanguageModelSettings> Create() => new(
        ("--text FILE", nameof(LanguageModelSettings.TextFile)),
        ("--vocab N", nameof(LanguageModelSettings.VocabularyCap)),
        ("--train-tokens N", nameof(LanguageModelSettings.TrainTokens)),
        ("--hidden N", nameof(LanguageModelSettings.Hidden)),
        ("--bptt N", nameof(LanguageModelSettings.Bptt)),
        ("--eval-batch-size N", nameof(LanguageModelSettings.EvalBatchSize)),
        new SettingFlag("--untied", nameof(LanguageModelSettings.TieWeights)) { Negates = true },
        ("--dropout-embedding X", nameof(LanguageModelSettings.DropoutEmbedding)),
        ("--dropout-input X", nameof(LanguageModelSettings.DropoutInput)),
        ("--dropout-hidden X", nameof(LanguageModelSettings.DropoutHidden)),
        ("--dropout-output X", nameof(LanguageModelSettings.DropoutOutput)),
        ("--ranking-windows N", nameof(LanguageModelSettings.RankingWindows)),
        ("--model NAME", nameof(LanguageModelSettings.Model)));
}

/// <summary>
/// The options of a search (<see cref="SearchConfig"/> and the records nested in it, and every strategy flag), shared
/// by `search` and `compare`; <see cref="Bind"/> reads them into a configuration, refusing table options without a
/// table and training options with one.
/// </summary>
internal sealed class SearchOptions
{
    /// <summary>The options of a tabular benchmark, shared by search and bench.</summary>
    internal static SettingOptions<TableSettings> TableOptions() => new(
        new SettingFlag("--table FILE.csv", nameof(TableSettings.Tables)) { SplitAtCommas = false },
        ("--objective COL", nameof(TableSettings.Objective)),
        ("--report COL", nameof(TableSettings.Report)),
        ("--time-column COL", nameof(TableSettings.TimeColumn)),
        ("--time-budget SECONDS", nameof(TableSettings.TimeBudget)),
        ("--queries N", nameof(TableSettings.Queries)));

    /// <summary>The data options of search, train and InstaNAS, with the command's defaults; with
    /// <paramref name="zeroMeansAll"/> --train-subset 0 means every training image.
    /// The image folder's options (<see cref="ImageFolderOptions"/>) and the loader's validation size are worded with the
    /// flags they come from.</summary>
    internal static SettingOptions<DataSettings> DataOptions(DataSettings defaults, bool zeroMeansAll) => new(defaults,
        ("--dataset NAME", nameof(DataSettings.Dataset)),
        Folder("--data-dir DIR", nameof(DataSettings.DataDir), nameof(ImageFolderOptions.Directory)),
        zeroMeansAll ? new SettingFlag("--train-subset N", nameof(DataSettings.TrainSubset)) { NullText = "0", NullHelp = "0: all" }
            : new SettingFlag("--train-subset N", nameof(DataSettings.TrainSubset)),
        new SettingFlag("--validation-size N", nameof(DataSettings.ValidationSize))
        {
            AlsoFor = [Settings.KeyOf(typeof(Data.DataOptions), nameof(Data.DataOptions.ValidationSize))],
        },
        Folder("--manifest FILE", nameof(DataSettings.Manifest), nameof(ImageFolderOptions.Manifest)),
        Folder("--image-size N", nameof(DataSettings.ImageSize), nameof(ImageFolderOptions.ImageSize)),
        Folder("--image-channels N", nameof(DataSettings.ImageChannels), nameof(ImageFolderOptions.Channels)),
        Folder("--skip-bad-images", nameof(DataSettings.SkipBadImages), nameof(ImageFolderOptions.SkipBadImages)),
        Folder("--cache-dir DIR", nameof(DataSettings.CacheDir), nameof(ImageFolderOptions.CacheDirectory)),
        ("--augment NAME", nameof(DataSettings.Augment)));

    private static SettingFlag Folder(string flag, string property, string folderProperty) =>
        new(flag, property) { AlsoFor = [ImageFolderOptions.KeyOf(folderProperty)] };

    /// <summary>The network and training options of search and train, with the command's defaults.</summary>
    internal static SettingOptions<TrainingSettings> TrainingOptions(TrainingSettings defaults) => new(defaults,
        ("--epochs N", nameof(TrainingSettings.Epochs)),
        ("--batch-size N", nameof(TrainingSettings.BatchSize)),
        ("--lr X", nameof(TrainingSettings.LearningRate)),
        ("--channels N", nameof(TrainingSettings.Channels)),
        ("--cells N", nameof(TrainingSettings.Cells)));

    /// <summary>--cost and --budget on a configuration's property of that name; the library's cost objectives carry
    /// them on, so their settings are reworded with the same flags.</summary>
    internal static SettingFlag CostFlag(string property) =>
        new("--cost COL", property) { AlsoFor = [Settings.KeyOf(typeof(CostObjectives), nameof(CostObjectives.Costs))] };

    internal static SettingFlag BudgetFlag(string property) =>
        new("--budget X", property) { AlsoFor = [Settings.KeyOf(typeof(CostObjectives), nameof(CostObjectives.Budget))] };

    private readonly SettingOptions<SearchConfig> _search;
    private readonly SettingOptions<TableSettings> _table = TableOptions();
    private readonly SettingOptions<DataSettings> _data = DataOptions(new SearchConfig().Data, zeroMeansAll: true);
    private readonly SettingOptions<TrainingSettings> _training = TrainingOptions(new SearchConfig().Training);
    private readonly SettingOptions<WeightSharingOptions> _weightSharing = new(
        ("--ranking-images N", nameof(WeightSharingOptions.RankingImages)),
        ("--final-top N", nameof(WeightSharingOptions.FinalTop)),
        ("--ranking-rungs N", nameof(WeightSharingOptions.RankingRungs)),
        ("--halving-rate N", nameof(WeightSharingOptions.HalvingRate)),
        ("--reward-images N", nameof(WeightSharingOptions.RewardImages)));
    private readonly SettingOptions<SearchConfig> _costs = new(
        CostFlag(nameof(SearchConfig.Costs)), BudgetFlag(nameof(SearchConfig.Budget)),
        ("--latency-table FILE", nameof(SearchConfig.LatencyTable)),
        ("--checkpoint-every N", nameof(SearchConfig.CheckpointEvery)));
    private readonly SettingOptions<LanguageModelSettings> _language = LanguageOptions.Create();
    private readonly SettingOptions<QueueSettings> _queue = new(
        ("--batch N", nameof(QueueSettings.Batch)),
        ("--async", nameof(QueueSettings.Async)),
        ("--heartbeat SECONDS", nameof(QueueSettings.Heartbeat)),
        ("--stale-after SECONDS", nameof(QueueSettings.StaleAfter)),
        ("--max-attempts N", nameof(QueueSettings.MaxAttempts)));

    /// <param name="withOut">Whether --out is the search's (compare has its own).</param>
    public SearchOptions(bool withOut)
    {
        SettingFlag[] flags =
        [
            ("--space NAME", nameof(SearchConfig.Space)),
            ("--nodes N", nameof(SearchConfig.Nodes)),
            ("--strategy NAME", nameof(SearchConfig.Strategy)),
            ("--candidates N", nameof(SearchConfig.Candidates)),
            ("--seed N", nameof(SearchConfig.Seed)),
            .. withOut ? new SettingFlag[] { ("--out DIR", nameof(SearchConfig.Out)), ("--store URL", nameof(SearchConfig.Store)) } : [],
        ];
        _search = new SettingOptions<SearchConfig>(flags);
    }

    public StrategyOptionFlags Strategies { get; } = StrategyFlags.Options();

    public void AddTo(NascentCommand command)
    {
        foreach (var options in new ISettingOptions[] { _search, _table, _data, _training, _weightSharing, _costs, _language, _queue, Strategies })
            command.Add(options);
    }

    /// <summary>The search configuration the options give, without strategy options (the caller applies
    /// <see cref="Strategies"/> to the strategies it runs).</summary>
    public SearchConfig Bind(ParseResult parse)
    {
        var table = _table.Given(parse);
        bool tabular = table.Contains(nameof(TableSettings.Tables));
        if (!tabular && table.Count > 0)
            throw new NascentException("--objective, --report, --queries and --time-budget belong to a tabular search: add --table FILE.csv.");
        bool trainingOptions = _data.Given(parse).Count > 0 || _training.Given(parse).Count > 0 || _weightSharing.Given(parse).Count > 0
            || _search.WasGiven(parse, nameof(SearchConfig.Candidates))
            || Strategies.Given(parse).Any(f => f.Record == typeof(ControllerOptions) && f.Name != "lstm-size" || f.Record == typeof(MemoryBufferOptions));
        if (tabular && trainingOptions)
            throw new NascentException("A tabular search (--table) trains nothing: drop the data and training options " +
                "(--dataset, --epochs, --candidates, ...); use --queries for the number of lookups.");
        var start = new SearchConfig { Strategy = tabular ? RandomSearch.Descriptor.Name : new SearchConfig().Strategy };
        return _costs.Bind(parse, _search.Bind(parse, start)) with
        {
            Data = _data.Bind(parse),
            Training = _training.Bind(parse),
            WeightSharing = _weightSharing.Bind(parse),
            Language = _language.Bind(parse),
            Table = tabular ? _table.Bind(parse) : null,
            Queue = _queue.Bind(parse),
        };
    }
}
