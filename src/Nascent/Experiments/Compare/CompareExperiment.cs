using Nascent.Experiments.Search;
using Nascent.Experiments.Train;

namespace Nascent.Experiments.Compare;

/// <summary>
/// `nascent compare`: runs each strategy over the same seeds with the same search settings, retrains every returned
/// architecture the same way (<c>nascent train</c> with the same epochs, data and seed), and compares the strategies'
/// retrained test accuracies (and their search-time validation accuracies) pair by pair with Welch's t-test and the
/// Mann-Whitney U test. Every search and retraining keeps its own run directory under the comparison's.
/// </summary>
public static class CompareExperiment
{
    public static CompareResult Run(CompareConfig config, IProgress<ProgressEvent>? progress = null, CancellationToken cancellation = default)
    {
        config.Validate();
        var clock = Stopwatch.StartNew();
        var run = RunDirectory.Create(config.Out, "compare");
        if (config.Resume) CheckSameConfig(run, config);
        run.WriteJson("config.json", config with { Out = run.Path, Resume = false });
        var runs = new List<CompareRun>();
        // Seed by seed, every strategy within a seed: an interrupted comparison holds whole seeds, and resuming with
        // fewer --seeds summarises those.
        for (ulong seed = config.FirstSeed; seed < config.FirstSeed + (ulong)config.Seeds; seed++)
            foreach (var strategy in config.Strategies)
            {
                string folder = run.File($"{strategy}-seed{seed}");
                string searchResult = Path.Combine(folder, "search", "result.json"), trainResult = Path.Combine(folder, "train", "result.json");
                if (config.Resume && File.Exists(searchResult) && File.Exists(trainResult))
                {
                    progress.Message($"compare: {strategy}, seed {seed}: finished before, reused");
                    runs.Add(Summarize(strategy, seed, RunDirectory.ReadJson<SearchResult>(searchResult), RunDirectory.ReadJson<SearchResult>(trainResult)));
                    continue;
                }
                // An unfinished pair starts again; what it measured is kept aside, not deleted.
                if (Directory.Exists(folder)) Directory.Move(folder, $"{folder}.unfinished-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
                progress.Message($"compare: {strategy}, seed {seed}");
                var search = SearchExperiment.Run(config.SearchOf(strategy, seed) with { Out = Path.Combine(folder, "search") },
                    progress, cancellation);
                var trained = TrainExperiment.Run(new TrainConfig
                {
                    From = search.RunDirectory,
                    Data = new DataSettings { DataDir = config.Search.Data.DataDir, TrainSubset = config.RetrainSubset },
                    Training = config.Search.Training with { Epochs = config.RetrainEpochs, BatchSize = new TrainingSettings().BatchSize, LearningRate = null },
                    Seed = seed, Out = Path.Combine(folder, "train"),
                }, progress, cancellation);
                runs.Add(Summarize(strategy, seed, search, trained));
            }

        var summaries = config.Strategies.Select(s =>
        {
            var mine = runs.Where(r => r.Strategy == s).ToList();
            var test = mine.Select(r => r.RetrainedTestAcc).ToList();
            var val = mine.Select(r => r.SearchValAcc).ToList();
            return new CompareSummary(s, Statistics.Mean(test), Sd(test), Statistics.Mean(val), Sd(val),
                Statistics.Mean(mine.Select(r => r.SearchSeconds).ToList()));
        }).ToList();
        var tests = new List<CompareTest>();
        for (int i = 0; i < config.Strategies.Count; i++)
            for (int j = i + 1; j < config.Strategies.Count; j++)
            {
                var a = runs.Where(r => r.Strategy == config.Strategies[i]).Select(r => r.RetrainedTestAcc).ToList();
                var b = runs.Where(r => r.Strategy == config.Strategies[j]).Select(r => r.RetrainedTestAcc).ToList();
                var welch = a.Count > 1 && b.Count > 1 ? WelchTTest.Compare(a, b) : null;
                var mw = MannWhitneyTest.Compare(a, b);
                tests.Add(new CompareTest(config.Strategies[i], config.Strategies[j], Statistics.Mean(a) - Statistics.Mean(b),
                    welch?.PValue, mw.U, mw.PValue));
            }
        var result = new CompareResult("compare", config.Strategies, config.Seeds, summaries, tests, runs,
            clock.Elapsed.TotalSeconds, run.Path);
        run.WriteJson("result.json", result);
        return result;
    }

    private static CompareRun Summarize(string strategy, ulong seed, SearchResult search, SearchResult trained) =>
        new(strategy, seed, search.Best.Arch, search.Best.ValAcc, trained.Best.TestAcc ?? double.NaN, trained.Best.Params, search.WallSeconds);

    /// <summary>A resumed comparison must have been started with the same settings, except the number of seeds:
    /// more extend it, fewer summarise its first ones.</summary>
    private static void CheckSameConfig(RunDirectory run, CompareConfig config)
    {
        string path = run.File("config.json");
        if (!File.Exists(path)) return;
        var before = RunDirectory.ReadJson<CompareConfig>(path);
        string Normal(CompareConfig c) => System.Text.Json.JsonSerializer.Serialize(c with { Out = null, Resume = false, Seeds = 1 }, RunDirectory.Json);
        if (Normal(before) != Normal(config with { Search = config.Search with { Out = before.Search.Out } }))
            throw new NascentException($"{run.Path} holds a comparison with other settings (see its config.json); resume it with the same options or choose another --out.");
    }

    private static double Sd(IReadOnlyList<double> values) => values.Count > 1 ? Statistics.StandardDeviation(values) : 0;
}

/// <summary>A comparison's settings: the strategies, the seeds, one search configuration for all, and how the
/// returned architectures are retrained.</summary>
public sealed record CompareConfig
{
    [Setting("strategies to compare (see nascent search --help)")]
    public IReadOnlyList<string> Strategies { get; init; } = [Enas.Descriptor.Name, RandomSearch.WeightSharingDescriptor.Name];
    /// <summary>Options of the compared strategies, by name; a strategy not named here runs with its defaults.</summary>
    public IReadOnlyDictionary<string, IStrategyOptions>? StrategyOptions { get; init; }
    [Setting("searches per strategy, seeds FIRST..FIRST+K-1", Min = 1)]
    public int Seeds { get; init; } = 3;
    [Setting("seed of the first search")]
    public ulong FirstSeed { get; init; } = 0;
    public SearchConfig Search { get; init; } = new();
    [Setting("epochs of each retraining", Min = 1)]
    public int RetrainEpochs { get; init; } = 1;
    [Setting("training images of each retraining (default all)", Min = 1)]
    public int? RetrainSubset { get; init; }
    [Setting("run directory (default runs/<time>-compare; each search and retraining in a subfolder)")]
    public string? Out { get; init; }
    /// <summary>Reuse the (strategy, seed) pairs of <see cref="Out"/> whose search and retraining finished.</summary>
    [Setting("continue the comparison in the run directory: finished (strategy, seed) pairs are reused, unfinished ones run " +
             "again (their old folder renamed *.unfinished-<time>); the options must be the same, except the seeds: more " +
             "extend the comparison, fewer summarise its first seeds")]
    public bool Resume { get; init; }

    public void Validate()
    {
        if (Resume && Out is null) throw new NascentException("--resume needs --out DIR: the comparison to continue.");
        if (Strategies.Count < 2) throw new NascentException("--strategies needs at least two strategies to compare (e.g. enas,rsws).");
        if (Strategies.Distinct().Count() != Strategies.Count) throw new NascentException("--strategies names a strategy twice.");
        foreach (var s in Strategies)
            if (StrategyCatalog.Find(s) is not { Kind: not StrategyKind.PerInstance })
                throw new NascentException($"Unknown strategy '{s}' in --strategies: use " +
                    $"{StrategyCatalog.NamesOf(StrategyCatalog.All.Where(d => d.Kind != StrategyKind.PerInstance))}.");
        if (Seeds < 1) throw new NascentException($"--seeds must be at least 1 (got {Seeds}).");
        if (RetrainEpochs < 1) throw new NascentException($"--retrain-epochs must be at least 1 (got {RetrainEpochs}).");
        if (Search.IsTabular) throw new NascentException("nascent compare trains; for tables use nascent bench.");
        if (Search.IsLanguageModel)
            throw new NascentException($"nascent compare retrains image networks; compare {Search.Space} cells with nascent search and nascent train (bench/rnn-figures.sh).");
        foreach (var s in Strategies) SearchOf(s, Search.Seed).Validate();
    }

    /// <summary>The search of one strategy and seed: the shared settings with that strategy's options.</summary>
    public SearchConfig SearchOf(string strategy, ulong seed) => Search with
    {
        Strategy = strategy, Seed = seed,
        StrategyOptions = StrategyOptions?.GetValueOrDefault(strategy) ?? StrategyCatalog.Get(strategy).DefaultOptionsFor(Search.Space),
    };
}

public sealed record CompareRun(string Strategy, ulong Seed, string Arch, double SearchValAcc, double RetrainedTestAcc,
    long Params, double SearchSeconds);

public sealed record CompareSummary(string Strategy, double TestAccMean, double TestAccStd, double SearchValAccMean,
    double SearchValAccStd, double SearchSecondsMean);

/// <summary>Strategy A against strategy B on retrained test accuracy: mean difference, Welch p (null with one seed),
/// Mann-Whitney U and p.</summary>
public sealed record CompareTest(string A, string B, double MeanDifference, double? WelchP, double MannWhitneyU, double MannWhitneyP);

public sealed record CompareResult(string Command, IReadOnlyList<string> Strategies, int Seeds,
    IReadOnlyList<CompareSummary> Summaries, IReadOnlyList<CompareTest> Tests, IReadOnlyList<CompareRun> Runs,
    double WallSeconds, string RunDirectory);
