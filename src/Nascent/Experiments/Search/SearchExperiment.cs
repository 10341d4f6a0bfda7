using System.Text.Json;

namespace Nascent.Experiments.Search;

/// <summary>
/// One search, start to end: validates the configuration, builds the strategy from its descriptor (a wrong option or
/// prior fails before any work), creates the run directory (config.json, trials.db), loads the data (images, text,
/// or a tabular benchmark), runs the strategy's loop (one at a time, or the weight-sharing loop over an image or a
/// language supernet), and writes result.json and report.html. A resumed search (<see cref="ReadStoredConfig"/>,
/// then <c>resume: true</c>) takes its configuration from the store, restores the latest checkpoint, replays the
/// finished trials after it and goes on; trials that were running when the process died are run again.
/// </summary>
public static class SearchExperiment
{
    /// <summary>The strategy's exported state (for ENAS: controller weights, optimizer, baseline, generator).</summary>
    public const string StrategyStateFile = "strategy.json";

    /// <summary>The store's key for the run's configuration (config.json's content).</summary>
    public const string ConfigKey = "config";

    /// <param name="resume">Continue the search in <c>config.Out</c> (a configuration read by
    /// <see cref="ReadStoredConfig"/>) instead of starting one.</param>
    /// <param name="execution">Worker processes to start and their settings (null: none, the coordinator evaluates).</param>
    public static SearchResult Run(SearchConfig config, IProgress<ProgressEvent>? progress = null, CancellationToken cancellation = default,
        bool resume = false, SearchExecution? execution = null)
    {
        config.Validate();
        execution ??= new SearchExecution();
        if (execution.Workers > 0 && (config.IsWeightSharing || config.IsLanguageModel))
            throw new NascentException($"--workers spreads candidates trained from scratch or looked up in a table; {config.Descriptor.Name} " +
                (config.IsLanguageModel ? "(a language model) " : "") + "runs in one process (drop --workers).");
        if (config.IsTabular) return RunTabular(config, progress, cancellation, resume, execution);
        if (config.IsLanguageModel && resume)
            throw new NascentException("A language-model search cannot be resumed yet: start it again with another --out.");
        var clock = Stopwatch.StartNew();
        var space = config.CreateSpace();
        var descriptor = config.Descriptor;
        // Everything a user can get wrong fails here, before the run directory exists.
        using var data = config.IsLanguageModel ? (SearchData)new TextSearchData(config) : new ImageSearchData(config);
        var latency = config.LatencyTable is null ? null : LatencyTable.Load(config.LatencyTable);
        var costs = config.CostObjectives();
        // An image folder's shape and classes, which the networks and their costs need, come from its files: it loads
        // first (its mistakes fail before the run directory exists too); the built-in sets load once the run is open.
        if (data.ShapeFromFiles) data.Load(progress);
        using var strategy = descriptor.Create(new StrategyContext(space, config.Seed, costs, data.CostModels(costs, latency)),
            config.Options());
        var (run, store, runner, checkpoint, runLock) = Open(config with
        {
            LatencyTable = config.LatencyTable is null ? null : Path.GetFullPath(config.LatencyTable),
            Data = config.Data.WithFullPaths(),
        }, space, resume, progress, execution);
        using var _ = runLock;
        using var __ = store;
        if (!data.ShapeFromFiles) data.Load(progress);
        if (checkpoint is not null) strategy.ImportState(checkpoint.Strategy);
        var schedule = new CheckpointSchedule(run, config.CheckpointInterval);
        manual_seed((long)(config.Seed & long.MaxValue));

        Trial best;
        if (strategy is IWeightSharingStrategy sharing && descriptor.Kind == StrategyKind.WeightSharing)
        {
            using var supernet = data.CreateSupernet();
            best = new WeightSharingSearch(runner, progress, schedule).Run(sharing, supernet, config.Candidates,
                config.WeightSharing, cancellation, checkpoint);
            run.WriteJson(StrategyStateFile, strategy.ExportState()); // the controller, for analysis and resumption
            sharing.WriteArtifacts(run.Path, supernet);
        }
        else
        {
            var evaluator = data.CreateTrainingEvaluator(latency);
            best = RunOneAtATime(config, execution, run, store, () =>
                new StandaloneSearch(runner, progress, schedule).Run(strategy, evaluator, config.Candidates, cancellation,
                    queue: config.Queue.Queued(execution.Workers) ? config.Queue : null));
        }
        ParetoSummary? pareto = null;
        if (config.IsMultiObjective) (best, pareto) = ParetoOutcome.Summarize(runner.Trials, costs, run);

        var result = new SearchResult("search", descriptor.Name, space.Name, config.Dataset, config.Seed,
            data.Best(best, pareto is null ? null : Costs(best, costs)),
            runner.Trials.Count, runner.Trials.Count(t => t.Status == TrialStatus.Failed), clock.Elapsed.TotalSeconds,
            Ranking(runner), run.Path, Pareto: pareto);
        run.WriteJson("result.json", result);
        if (!config.IsLanguageModel && config.Store is null) Reports.RunReport.Write(run.Path); // the report reads trials.db
        return result;
    }

    /// <summary>A search over a tabular benchmark: the same run directory, trial store and result.json as any
    /// search, with each trial a table lookup.</summary>
    private static SearchResult RunTabular(SearchConfig config, IProgress<ProgressEvent>? progress, CancellationToken cancellation, bool resume,
        SearchExecution execution)
    {
        var clock = Stopwatch.StartNew();
        var space = config.CreateSpace();
        var table = config.Table!;
        var columns = config.TabularColumns();
        var benchmark = TabularBenchmark.Load(table.Tables, space, columns.All);
        var costModels = columns.CostColumns.Select(c => new TableColumnCost(benchmark, c)).ToArray();
        using var strategy = config.Descriptor.Create(new StrategyContext(space, config.Seed, config.CostObjectives(), costModels),
            config.Options());
        var evaluator = new TabularEvaluator(benchmark, columns, table.TimeBudget);
        var tables = table.FullPaths();
        var (run, store, runner, checkpoint, runLock) = Open(config with { Table = table with { Tables = tables } }, space, resume, progress, execution);
        using var _ = runLock;
        using var __ = store;
        if (!resume) store.SetMeta("tables", string.Join("\n", tables));
        if (checkpoint is not null) strategy.ImportState(checkpoint.Strategy);
        var best = RunOneAtATime(config, execution, run, store, () =>
            new StandaloneSearch(runner, progress, new CheckpointSchedule(run, config.CheckpointInterval))
                .Run(strategy, evaluator, table.Queries, cancellation, () => evaluator.BudgetSpent,
                    config.Queue.Queued(execution.Workers) ? config.Queue : null));
        ParetoSummary? pareto = null;
        if (config.IsMultiObjective) (best, pareto) = ParetoOutcome.Summarize(runner.Trials, config.CostObjectives(), run);
        var result = new SearchResult("search", config.Descriptor.Name, space.Name, "table:" + benchmark.Description, config.Seed,
            new BestArchitecture(best.Architecture.ToString(), best.Measured.Accuracy, best.Measured.TestAccuracy, 0,
                columns.CostColumns.Count > 0 ? best.Measured.Extra : null),
            runner.Trials.Count, runner.Trials.Count(t => t.Status == TrialStatus.Failed), clock.Elapsed.TotalSeconds,
            Ranking(runner), run.Path,
            new TableSearchInfo(tables, columns.Objective, columns.Report, columns.CostColumns, evaluator.Queries,
                columns.TrainingTime is null ? null : evaluator.SimulatedSeconds), pareto);
        run.WriteJson("result.json", result);
        if (config.Store is null) Reports.RunReport.Write(run.Path); // the report reads trials.db
        return result;
    }

    /// <summary>Runs a one-at-a-time search with the worker processes of <paramref name="execution"/>: started once the
    /// store is open, closed when the search ends (each finishes what it holds), killed if it fails.</summary>
    private static Trial RunOneAtATime(SearchConfig config, SearchExecution execution, RunDirectory run, ITrialStore store, Func<Trial> search)
    {
        if (!config.Queue.Queued(execution.Workers)) return search();
        store.SetMeta(TrialWorker.ClosedKey, "false");
        using var workers = WorkerProcesses.Start(execution, run.Path);
        var best = search();
        workers.Close(store, TimeSpan.FromSeconds(30));
        return best;
    }

    /// <summary>A worker of a one-at-a-time search (<c>nascent worker</c>): reads the configuration the coordinator
    /// stored in <paramref name="store"/>, builds the same evaluator (the table, or the data and training from
    /// scratch) and evaluates queued trials until the coordinator closes the queue. Returns how many it recorded.</summary>
    public static int Work(ITrialStore store, string name, IProgress<ProgressEvent>? progress = null, CancellationToken cancellation = default,
        int delayMilliseconds = 0, Func<bool>? keepGoing = null)
    {
        var config = StoredConfig(store, store.Location);
        config.Validate();
        if (config.IsWeightSharing || config.IsLanguageModel)
            throw new NascentException($"{store.Location} holds a {config.Descriptor.Name} search, which runs in one process: it has no trials for workers.");
        var space = config.CreateSpace();
        SearchData? data = null;
        try
        {
            IEvaluator evaluator;
            if (config.IsTabular)
            {
                var table = config.Table!;
                var columns = config.TabularColumns();
                evaluator = new TabularEvaluator(TabularBenchmark.Load(table.Tables, space, columns.All), columns, table.TimeBudget);
            }
            else
            {
                data = new ImageSearchData(config);
                data.Load(progress);
                evaluator = data.CreateTrainingEvaluator(config.LatencyTable is null ? null : LatencyTable.Load(config.LatencyTable));
                manual_seed((long)(config.Seed & long.MaxValue));
            }
            var worker = new TrialWorker(store, space, evaluator, config.Queue, name, progress)
            {
                DelayMilliseconds = delayMilliseconds, KeepGoing = keepGoing,
            };
            return worker.Run(cancellation);
        }
        finally
        {
            data?.Dispose();
        }
    }

    /// <summary>The configuration a run directory's store holds, to resume it: a missing, damaged, foreign or older
    /// store fails here, in one line, before any work.</summary>
    public static SearchConfig ReadStoredConfig(string runDirectory)
    {
        string path = Path.Combine(runDirectory, TrialStore.FileName), configFile = Path.Combine(runDirectory, "config.json");
        if (!File.Exists(path) && File.Exists(configFile)
            && RunDirectory.ReadJson<JsonElement>(configFile).TryGetProperty("store", out var address) && address.ValueKind == JsonValueKind.String)
        {
            using var server = new PostgresTrialStore(address.GetString()!);
            return StoredConfig(server, server.Location) with { Out = Path.GetFullPath(runDirectory) };
        }
        if (!File.Exists(path))
            throw new NascentException($"{Path.GetFullPath(runDirectory)} holds no {TrialStore.FileName}: it is not a search run to resume.");
        using var store = new TrialStore(path);
        return StoredConfig(store, path) with { Out = Path.GetFullPath(runDirectory) };
    }

    /// <summary>The search configuration <paramref name="store"/> holds (its meta key <see cref="ConfigKey"/>).</summary>
    private static SearchConfig StoredConfig(ITrialStore store, string path)
    {
        string? json = store.GetMeta(ConfigKey);
        if (json is null) throw new NascentException($"{path} holds no search configuration: it is not a search run to resume.");
        try
        {
            if (JsonNode.Parse(json)?["format"]?.GetValue<int>() != SearchConfig.CurrentFormat)
                throw new NascentException($"{path} was written by an earlier Nascent (configuration format 1, before the strategy " +
                    "descriptors); this version cannot resume it: start the search again with another --out.");
            return JsonSerializer.Deserialize<SearchConfig>(json, RunDirectory.Json)
                ?? throw new NascentException($"{path} holds an empty search configuration.");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException)
        {
            throw new NascentException($"{path} holds a search configuration this Nascent cannot read ({e.Message.Split('\n')[0]}).");
        }
    }

    /// <summary>Creates the run directory and its store (refusing one that holds a run already), or reopens them to
    /// resume: marks interrupted trials, finds the latest checkpoint, and hands the finished trials to the runner.
    /// The run's <see cref="RunLock"/> is taken first, so a second coordinator on the directory stops before it reads
    /// or writes anything.</summary>
    internal static (RunDirectory Run, ITrialStore Store, TrialRunner Runner, Checkpoint? Checkpoint, IDisposable Lock) Open(SearchConfig config,
        SearchSpace space, bool resume, IProgress<ProgressEvent>? progress, SearchExecution execution)
    {
        if (resume && config.Queue.Async)
            throw new NascentException($"{config.Out} ran with --async, whose result depends on the order trials finished: it cannot be resumed to the " +
                "same result; start it again with another --out (or without --async, which resumes exactly).");
        var run = RunDirectory.Create(config.Out, "search");
        var runLock = RunLock.Acquire(run.Path);
        ITrialStore? store = null;
        IDisposable? studyLock = null;
        try
        {
            string path = run.File(TrialStore.FileName);
            if (config.Store is { } address)
            {
                var server = new PostgresTrialStore(address);
                store = server;
                studyLock = server.LockCoordinator(); // one coordinator per study, wherever it runs
                if (!resume && server.GetMeta(ConfigKey) is not null)
                    throw new NascentException($"{server.Location} holds a search already: continue it with --resume DIR (its run directory), or name another study.");
            }
            else if (!resume && TrialStore.HasTrials(path))
                throw new NascentException($"{run.Path} holds a search already: continue it with --resume {run.Path}, or choose another --out.");
            if (!resume) run.WriteJson("config.json", config with { Out = run.Path });
            store ??= new TrialStore(path);
            var runner = new TrialRunner(store, progress)
            {
                Queue = config.Queue, EvaluateHere = execution.Workers == 0, DelayMilliseconds = execution.DelayMilliseconds,
            };
            if (!resume)
            {
                store.SetMeta(ConfigKey, JsonSerializer.Serialize(config with { Out = run.Path }, RunDirectory.Json));
                return (run, store, runner, null, Both(runLock, studyLock));
            }
            // The lock says the coordinator that held the run is gone: what it began, or claimed itself, is interrupted.
            int interrupted = store.MarkInterrupted() + store.ReapWorker(TrialRunner.CoordinatorWorker, config.Queue.MaxAttempts);
            var checkpoint = Checkpoint.Latest(run);
            var stored = store.Load(space);
            int finished = stored.Count(t => t.Status is TrialStatus.Done or TrialStatus.Failed);
            runner.Resume(stored, checkpoint?.Trials ?? 0);
            progress.Message($"resuming {run.Path}: {finished} finished trial(s), " +
                (checkpoint is null ? "no checkpoint" : $"checkpoint after {checkpoint.Trials}") +
                (interrupted > 0 ? $", {interrupted} interrupted trial(s) to run again" : ""));
            return (run, store, runner, checkpoint, Both(runLock, studyLock));
        }
        catch
        {
            studyLock?.Dispose();
            store?.Dispose();
            runLock.Dispose();
            throw;
        }
    }

    private static IDisposable Both(IDisposable first, IDisposable? second) =>
        second is null ? first : new Disposables(first, second);

    private sealed class Disposables(params IDisposable[] items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var item in items.Reverse()) item.Dispose();
        }
    }

    private static Dictionary<string, double> Costs(Trial trial, CostObjectives objectives) =>
        objectives.Costs.ToDictionary(c => c.Name, c => c.Of(trial.Measured));

    internal static List<RankedArchitecture> Ranking(TrialRunner runner) => runner.Trials
        .Where(t => t.Status == TrialStatus.Done && t.Phase != TrialPhase.Controller) // minibatch rewards are not rankings
        .GroupBy(t => t.Architecture).Select(g => g.Last()) // a finalist's full-validation score replaces its rank score
        .OrderByDescending(t => t.Objective).Take(10)
        .Select(t => new RankedArchitecture(t.Architecture.ToString(), t.Measured.Accuracy, t.Measured.Parameters)).ToList();
}
