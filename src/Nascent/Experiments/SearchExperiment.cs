using System.Diagnostics;
using Nascent.Data;
using Nascent.Evaluation;
using Nascent.Nn;
using Nascent.Strategies;
using static TorchSharp.torch;

namespace Nascent.Experiments;

/// <summary>
/// One search, start to end: validates the configuration, creates the run directory (config.json, trials.db),
/// loads the data, runs the strategy with its evaluator, and writes result.json.
/// </summary>
public static class SearchExperiment
{
    public static SearchResult Run(SearchConfig config, TextWriter? progress = null, CancellationToken cancellation = default)
    {
        config.Validate();
        var clock = Stopwatch.StartNew();
        var space = config.CreateSpace();
        var run = RunDirectory.Create(config.Out, "search");
        run.WriteJson("config.json", config with { Out = run.Path });
        using var data = DatasetLoader.Load(config.DataOptions(), progress);
        using var store = new TrialStore(run.File(TrialStore.FileName));
        var runner = new TrialRunner(store);
        manual_seed((long)(config.Seed & long.MaxValue));

        Trial best;
        if (config.Strategy == "rsws")
        {
            var strategy = new RandomSearch(space, config.Seed, weightSharing: true);
            using var supernet = NetworkFactory.CreateSupernet(space, config.NetworkOptions(data.Train, supernet: true));
            best = new WeightSharingSearch(runner, progress).Run(strategy, supernet, data, config.TrainingOptions(),
                config.Candidates, config.RankingImages, config.FinalTop, config.Seed, cancellation);
        }
        else
        {
            var strategy = new RandomSearch(space, config.Seed, weightSharing: false);
            var evaluator = new ScratchTrainingEvaluator(config.NetworkOptions(data.Train, supernet: false),
                config.TrainingOptions(), data, config.Seed);
            best = new StandaloneSearch(runner, progress).Run(strategy, evaluator, config.Candidates, cancellation);
        }

        var ranking = runner.Trials.Where(t => t.Status == TrialStatus.Done)
            .GroupBy(t => t.Architecture).Select(g => g.Last()) // a finalist's full-validation score replaces its rank score
            .OrderByDescending(t => t.Objective).Take(10)
            .Select(t => new RankedArchitecture(t.Architecture.ToString(), t.Metrics!.Accuracy, t.Metrics.Parameters)).ToList();
        var result = new SearchResult("search", config.Strategy, space.Name, config.Dataset, config.Seed,
            new BestArchitecture(best.Architecture.ToString(), best.Metrics!.Accuracy, best.Metrics.TestAccuracy,
                best.Metrics.Parameters ?? 0),
            runner.Trials.Count, runner.Trials.Count(t => t.Status == TrialStatus.Failed), clock.Elapsed.TotalSeconds,
            ranking, run.Path);
        run.WriteJson("result.json", result);
        return result;
    }
}
