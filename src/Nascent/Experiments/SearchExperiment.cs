using System.Diagnostics;
using Nascent.Costs;
using Nascent.Data;
using Nascent.Evaluation;
using Nascent.Nn;
using Nascent.Objectives;
using Nascent.Strategies;
using static TorchSharp.torch;

namespace Nascent.Experiments;

/// <summary>
/// One search, start to end: validates the configuration, creates the run directory (config.json, trials.db),
/// loads the data (or the tabular benchmark), runs the strategy with its evaluator, and writes result.json and
/// report.html.
/// </summary>
public static class SearchExperiment
{
    /// <summary>The strategy's exported state (for ENAS: controller weights, optimizer, baseline, generator).</summary>
    public const string StrategyStateFile = "strategy.json";

    public static SearchResult Run(SearchConfig config, TextWriter? progress = null, CancellationToken cancellation = default)
    {
        config.Validate();
        if (config.IsTabular) return RunTabular(config, progress, cancellation);
        var clock = Stopwatch.StartNew();
        var space = config.CreateSpace();
        var latency = config.LatencyTable is null ? null : LatencyTable.Load(config.LatencyTable); // a bad file fails first
        var prior = DistributionArtifacts.LoadPrior(config, space); // a wrong --prior-from fails before any work
        var run = RunDirectory.Create(config.Out, "search");
        run.WriteJson("config.json", config with
        {
            Out = run.Path, LatencyTable = config.LatencyTable is null ? null : Path.GetFullPath(config.LatencyTable),
        });
        using var data = DatasetLoader.Load(config.DataOptions(), progress);
        using var store = new TrialStore(run.File(TrialStore.FileName));
        var runner = new TrialRunner(store);
        manual_seed((long)(config.Seed & long.MaxValue));

        Trial best;
        if (config.IsWeightSharing)
        {
            var strategy = StrategyCatalog.CreateWeightSharing(config.Strategy, space, config.Seed,
                config.StrategyOptions());
            using var owned = strategy as IDisposable; // a controller holds native tensors
            using var supernet = NetworkFactory.CreateSupernet(space, config.NetworkOptions(data.Train, supernet: true));
            if (prior is not null && strategy is Parsec withPrior)
            {
                withPrior.ImportPrior(prior, config.PriorFrom!);
                if (config.PriorWeights) DistributionArtifacts.LoadWeights(supernet, config.PriorFrom!);
            }
            best = new WeightSharingSearch(runner, progress).Run(strategy, supernet, data, config.TrainingOptions(),
                new WeightSharingOptions(config.Candidates, config.RankingImages, config.FinalTop,
                    config.RewardImages), config.Seed, cancellation);
            run.WriteJson(StrategyStateFile, strategy.ExportState()); // the controller, for analysis and resumption
            if (strategy is Parsec parsec) DistributionArtifacts.WriteParsec(run, parsec, supernet);
            if (strategy is Darts darts) DistributionArtifacts.WriteDarts(run, darts);
        }
        else
        {
            var network = config.NetworkOptions(data.Train, supernet: false);
            latency?.EnsureMatches(space, network, data.Train.Height, data.Train.Width);
            var costModels = config.CostObjectives().Costs
                .Select(c => CostModels.Measured(c, network, data.Train.Height, data.Train.Width, latency)).ToArray();
            var strategy = StrategyCatalog.Create(config.Strategy, space, config.Seed, config.StrategyOptions(), costModels);
            using var owned = strategy as IDisposable;
            var evaluator = new ScratchTrainingEvaluator(network, config.TrainingOptions(), data, config.Seed, latency);
            best = new StandaloneSearch(runner, progress).Run(strategy, evaluator, config.Candidates, cancellation);
        }
        ParetoSummary? pareto = null;
        if (config.IsMultiObjective) (best, pareto) = ParetoOutcome.Summarize(runner.Trials, config.CostObjectives(), run);

        var result = new SearchResult("search", config.Strategy, space.Name, config.Dataset, config.Seed,
            new BestArchitecture(best.Architecture.ToString(), best.Metrics!.Accuracy, best.Metrics.TestAccuracy,
                best.Metrics.Parameters ?? 0, pareto is null ? null : Costs(best, config.CostObjectives())),
            runner.Trials.Count, runner.Trials.Count(t => t.Status == TrialStatus.Failed), clock.Elapsed.TotalSeconds,
            Ranking(runner), run.Path, Pareto: pareto);
        run.WriteJson("result.json", result);
        Reports.RunReport.Write(run.Path);
        return result;
    }

    /// <summary>A search over a tabular benchmark: the same run directory, trial store and result.json as any
    /// search, with each trial a table lookup.</summary>
    private static SearchResult RunTabular(SearchConfig config, TextWriter? progress, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var space = config.CreateSpace();
        var columns = config.TabularColumns();
        var benchmark = TabularBenchmark.Load(config.Tables!, space, columns.All);
        var costModels = columns.CostColumns.Select(c => new TableColumnCost(benchmark, c)).ToArray();
        var strategy = StrategyCatalog.Create(config.Strategy, space, config.Seed, config.StrategyOptions(), costModels);
        using var owned = strategy as IDisposable;
        var evaluator = new TabularEvaluator(benchmark, columns, config.TimeBudget);
        var run = RunDirectory.Create(config.Out, "search");
        run.WriteJson("config.json", config with { Out = run.Path, Tables = config.Tables!.Select(Path.GetFullPath).ToArray() });
        using var store = new TrialStore(run.File(TrialStore.FileName));
        store.SetMeta("tables", string.Join("\n", config.Tables!.Select(Path.GetFullPath)));
        var runner = new TrialRunner(store);
        var best = new StandaloneSearch(runner, progress).Run(strategy, evaluator, config.Queries, cancellation,
            () => evaluator.BudgetSpent);
        ParetoSummary? pareto = null;
        if (config.IsMultiObjective) (best, pareto) = ParetoOutcome.Summarize(runner.Trials, config.CostObjectives(), run);
        var result = new SearchResult("search", config.Strategy, space.Name, "table:" + benchmark.Description, config.Seed,
            new BestArchitecture(best.Architecture.ToString(), best.Metrics!.Accuracy, best.Metrics.TestAccuracy, 0,
                columns.CostColumns.Count > 0 ? best.Metrics.Extra : null),
            runner.Trials.Count, runner.Trials.Count(t => t.Status == TrialStatus.Failed), clock.Elapsed.TotalSeconds,
            Ranking(runner), run.Path,
            new TableSearchInfo(config.Tables!.Select(Path.GetFullPath).ToArray(), columns.Objective, columns.Report,
                columns.CostColumns, evaluator.Queries, columns.TrainingTime is null ? null : evaluator.SimulatedSeconds), pareto);
        run.WriteJson("result.json", result);
        Reports.RunReport.Write(run.Path);
        return result;
    }

    private static Dictionary<string, double> Costs(Trial trial, CostObjectives objectives) =>
        objectives.Costs.ToDictionary(c => c.Name, c => c.Of(trial.Metrics!));

    private static List<RankedArchitecture> Ranking(TrialRunner runner) => runner.Trials
        .Where(t => t.Status == TrialStatus.Done && t.Phase != WeightSharingSearch.ControllerPhase) // minibatch rewards are not rankings
        .GroupBy(t => t.Architecture).Select(g => g.Last()) // a finalist's full-validation score replaces its rank score
        .OrderByDescending(t => t.Objective).Take(10)
        .Select(t => new RankedArchitecture(t.Architecture.ToString(), t.Metrics!.Accuracy, t.Metrics.Parameters)).ToList();
}
