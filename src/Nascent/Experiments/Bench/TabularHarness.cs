using Nascent.Plots;

namespace Nascent.Experiments.Bench;

/// <summary>
/// <c>nascent bench</c>: runs every strategy on a tabular benchmark with many seeds and scores it. The table is
/// loaded once and shared; each (strategy, seed) gets its own strategy instance and evaluator and runs the plain
/// ask / look up / tell loop, in parallel across cores. Per-query results stay in memory (no trial store), so a
/// hundred seeds take seconds; the run directory gets config.json, result.json, summary.md and the anytime curves
/// as PNG. Results do not depend on the number of threads.
/// </summary>
public static class TabularHarness
{
    public const string ObjectiveFigure = "anytime.png";
    public const string ReportFigure = "anytime_report.png";
    /// <summary>The name hypervolume comparisons carry in <see cref="BaselineComparison.Column"/>.</summary>
    public const string HypervolumeColumn = "hypervolume";
    public const string FrontsFigure = "pareto_fronts.png";

    public static BenchResult Run(BenchConfig config, IProgress<ProgressEvent>? progress = null, CancellationToken cancellation = default)
    {
        config.Validate();
        var wall = Stopwatch.StartNew();
        var space = config.CreateSpace();
        var load = Stopwatch.StartNew();
        var benchmark = TabularBenchmark.Load(config.Table.Tables, space, config.TabularColumns().All);
        double loadSeconds = load.Elapsed.TotalSeconds;
        // The run directory is created once the table has loaded, so a mistake in a table leaves nothing behind.
        var run = RunDirectory.Create(config.Out, "bench");
        run.WriteJson("config.json", config with { Out = run.Path, Table = config.Table with { Tables = config.Table.FullPaths() } });
        var result = Run(benchmark, config, progress, cancellation);

        var figures = new List<string> { ObjectiveFigure };
        AnytimeCurvePlot.Write(run.File(ObjectiveFigure), result, report: false);
        if (result.Report is not null)
        {
            AnytimeCurvePlot.Write(run.File(ReportFigure), result, report: true);
            figures.Add(ReportFigure);
        }
        if (result.Pareto is not null)
        {
            WriteFronts(run.File(FrontsFigure), result, benchmark);
            figures.Add(FrontsFigure);
        }
        result = result with
        {
            Tables = config.Table.FullPaths(),
            LoadSeconds = loadSeconds,
            WallSeconds = wall.Elapsed.TotalSeconds,
            RunDirectory = run.Path,
            Figures = figures,
        };
        run.WriteJson("result.json", result);
        File.WriteAllText(run.File("summary.md"), FormatMarkdown(result));
        return result;
    }

    /// <summary>The whole table's front (objective against the first cost) beside, for each strategy, the front of
    /// its run of median hypervolume.</summary>
    private static void WriteFronts(string path, BenchResult result, TabularBenchmark benchmark)
    {
        string cost = result.Costs[0];
        var series = new List<(string, IReadOnlyList<double>, IReadOnlyList<double>)>
        {
            ("whole table", benchmark.ColumnValues(cost), benchmark.ColumnValues(result.Objective)),
        };
        foreach (var strategy in result.Strategies)
        {
            var runs = strategy.Runs.OrderBy(r => r.Hypervolume).ToArray();
            var median = runs[(runs.Length - 1) / 2];
            var evaluated = Enumerable.Range(0, median.Queries).Where(i => double.IsFinite(median.TrialObjectives![i])).ToArray();
            series.Add(($"{strategy.Name}, seed {median.Seed} (median hypervolume)",
                evaluated.Select(i => median.TrialCosts![cost][i]).ToArray(), evaluated.Select(i => median.TrialObjectives![i]).ToArray()));
        }
        ParetoPlot.WriteFronts(path, series, new CostMetric(cost).Objective, new Objective(result.Objective, Direction.Maximize, ""),
            $"Fronts after {result.Queries} queries against the whole table's");
    }

    /// <summary>Runs the benchmark on an already loaded table (no files written).</summary>
    public static BenchResult Run(TabularBenchmark benchmark, BenchConfig config, IProgress<ProgressEvent>? progress = null,
        CancellationToken cancellation = default)
    {
        config.Validate();
        var columns = config.TabularColumns();
        int threads = config.Threads ?? Environment.ProcessorCount;
        int jobs = config.Strategies.Count * config.Seeds;
        var outcomes = new Outcome[jobs];
        var checkpoints = config.EffectiveCheckpoints();
        var pareto = columns.CostColumns.Count > 0 ? Reference(benchmark, columns, config.Budget) : null;
        var bar = new ProgressReporter(progress, "bench", jobs, "run");
        var clock = Stopwatch.StartNew();
        Parallel.For(0, jobs, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellation }, job =>
        {
            string name = config.Strategies[job / config.Seeds];
            ulong seed = config.FirstSeed + (ulong)(job % config.Seeds);
            outcomes[job] = RunOne(benchmark, columns, config, name, seed, pareto, checkpoints, cancellation);
            lock (bar) bar.Advance();
        });
        double searchSeconds = clock.Elapsed.TotalSeconds;

        var summaries = config.Strategies.Select((name, s) =>
            Summarize(name, outcomes.AsSpan(s * config.Seeds, config.Seeds).ToArray(), columns, checkpoints, config.Table.Queries)).ToArray();
        var comparisons = Compare(config, summaries, outcomes, columns, checkpoints);
        return new BenchResult("bench", config.Table.Tables, benchmark.Space.Name, columns.Objective, columns.Report, columns.CostColumns,
            config.Table.Queries, config.Seeds, config.FirstSeed, config.Baseline, threads, 0, searchSeconds, searchSeconds,
            summaries, comparisons, "", [], pareto);
    }

    /// <summary>The objectives of a multi-objective bench (the objective column maximised, each cost minimised), the
    /// reference point (the table's worst value of each) and the whole table's front and hypervolume.</summary>
    private static ParetoReference Reference(TabularBenchmark benchmark, TabularColumns columns, double? budget)
    {
        var objectives = Objectives(columns);
        var names = columns.CostColumns.Prepend(columns.Objective).ToArray();
        var values = names.Select(benchmark.ColumnValues).ToArray();
        var point = objectives.Select((o, k) => o.IsMaximized ? values[k].Min() : values[k].Max()).ToArray();
        var rows = Enumerable.Range(0, benchmark.Count).Select(r => (IReadOnlyList<double>)values.Select(v => v[r]).ToArray()).ToList();
        var front = NonDominatedSorting.ParetoFront(rows, objectives).Select(i => rows[i]).ToList();
        return new ParetoReference(names, point, front.Count, Hypervolume.Of(front, objectives, point), budget);
    }

    private static Objective[] Objectives(TabularColumns columns) => columns.CostColumns
        .Select(c => new CostMetric(c).Objective).Prepend(new Objective(columns.Objective, Direction.Maximize, "")).ToArray();

    /// <summary>One (strategy, seed): ask, look up, tell, keeping the incumbent after every query.</summary>
    private static Outcome RunOne(TabularBenchmark benchmark, TabularColumns columns, BenchConfig config, string name, ulong seed,
        ParetoReference? pareto, IReadOnlyList<int> checkpoints, CancellationToken cancellation)
    {
        var costModels = columns.CostColumns.Select(c => new TableColumnCost(benchmark, c)).ToArray();
        var descriptor = StrategyCatalog.Get(name);
        using var strategy = descriptor.Create(new StrategyContext(benchmark.Space, seed, config.CostObjectives(), costModels),
            config.OptionsOf(descriptor));
        using var owned = strategy as IDisposable; // a controller holds native tensors
        var evaluator = new TabularEvaluator(benchmark, columns, config.Table.TimeBudget);
        int q = config.Table.Queries;
        var objective = new double[q];
        var report = new double[q];
        var trialCosts = columns.CostColumns.ToDictionary(c => c, _ => new double[q]);
        var trialObjectives = new double[q];
        Trial? best = null;
        var asked = new HashSet<Spaces.Architecture>();
        // With costs: every evaluated point (objective, costs), the hypervolume at each checkpoint, and the best
        // objective within the budget on the first cost.
        var objectives = pareto is null ? null : Objectives(columns);
        var points = new List<IReadOnlyList<double>>();
        var hypervolumes = new double[checkpoints.Count];
        double? bestWithinBudget = null;
        var checkpointOf = checkpoints.Select((queries, c) => (queries, c)).ToDictionary(p => p.queries, p => p.c);
        int done = 0;
        for (; done < q && !evaluator.BudgetSpent; done++)
        {
            if ((done & 63) == 0) cancellation.ThrowIfCancellationRequested();
            var architecture = strategy.Ask();
            asked.Add(architecture);
            var metrics = evaluator.Evaluate(architecture, cancellation);
            var trial = double.IsFinite(metrics.Accuracy)
                ? new Trial(done + 1, architecture, TrialStatus.Done, metrics)
                : new Trial(done + 1, architecture, TrialStatus.Failed, null, "objective is not a number");
            strategy.Tell(trial);
            foreach (var (column, values) in trialCosts) values[done] = metrics.Extra[column];
            trialObjectives[done] = metrics.Accuracy;
            if (trial.Status == TrialStatus.Done && (best is null || trial.Objective > best.Objective)) best = trial;
            objective[done] = best?.Objective ?? double.NaN;
            report[done] = best?.Measured.TestAccuracy ?? double.NaN;
            if (pareto is not null)
            {
                if (trial.Status == TrialStatus.Done)
                {
                    var point = columns.CostColumns.Select(c => metrics.Extra[c]).Prepend(trial.Objective).ToArray();
                    points.Add(point);
                    if ((pareto.Budget is not double budget || point[1] <= budget) && !(bestWithinBudget >= trial.Objective))
                        bestWithinBudget = trial.Objective;
                }
                if (checkpointOf.TryGetValue(done + 1, out int checkpoint)) hypervolumes[checkpoint] = Hypervolume.Of(points, objectives!, pareto.Point);
            }
        }
        double? tau = strategy is IPerformancePredictor predictor && config.HeldOut > 0
            ? HeldOutKendall(predictor, benchmark, columns.Objective, seed, asked, config.HeldOut) : null;
        // A spent time budget ends a run early: its incumbent stands for the remaining queries.
        for (int i = done; i < q; i++) { objective[i] = objective[done - 1]; report[i] = report[done - 1]; }
        if (pareto is not null)
            for (int c = 0; c < checkpoints.Count; c++)
                if (checkpoints[c] > done) hypervolumes[c] = Hypervolume.Of(points, objectives!, pareto.Point);
        if (best is null) throw new NascentException($"Every trial of {name} (seed {seed}) failed: the objective column holds no number.");
        var run = new SeedRun(seed, done, best.Architecture.ToString(), best.Objective, best.Measured.TestAccuracy,
            trialCosts.Count > 0 ? best.Measured.Extra : null,
            columns.TrainingTime is null ? null : evaluator.SimulatedSeconds,
            trialCosts.Count > 0 ? trialCosts.ToDictionary(p => p.Key, p => p.Value[..done]) : null, tau,
            pareto is null ? null : hypervolumes[^1], pareto?.Budget is null ? null : bestWithinBudget,
            trialCosts.Count > 0 ? trialObjectives[..done] : null);
        return new Outcome(run, objective, report, pareto is null ? null : hypervolumes);
    }

    /// <summary>Kendall's τ between a learned predictor's scores and the objective column on up to
    /// <paramref name="count"/> table rows the run never evaluated, drawn with a generator seeded from the run's seed.</summary>
    private static double HeldOutKendall(IPerformancePredictor predictor, TabularBenchmark benchmark, string objective, ulong seed,
        IReadOnlySet<Spaces.Architecture> evaluated, int count)
    {
        int column = benchmark.ColumnIndex(objective);
        var random = new SeededRandom(seed ^ 0x9E3779B97F4A7C15UL);
        var rows = random.Permutation(benchmark.Count)
            .Where(r => !evaluated.Contains(benchmark.Architectures[r]) && double.IsFinite(benchmark.Value(r, column)))
            .Take(count).ToList();
        var predicted = predictor.PredictPerformance(rows.Select(r => benchmark.Architectures[r]).ToList());
        return Correlation.Kendall(predicted, rows.Select(r => benchmark.Value(r, column)).ToList());
    }

    /// <summary>A run's curves: the incumbent after every query, and with costs the hypervolume at each checkpoint.</summary>
    private sealed record Outcome(SeedRun Run, double[] ObjectiveCurve, double[] ReportCurve, double[]? HypervolumeAtCheckpoints);

    private static StrategySummary Summarize(string name, Outcome[] runs, TabularColumns columns, IReadOnlyList<int> checkpoints, int queries)
    {
        bool hasReport = columns.Report is not null;
        MeanStd At(Func<Outcome, double> value) => Describe(runs.Select(value).ToArray());
        var bestCosts = columns.CostColumns.Count == 0 ? null
            : columns.CostColumns.ToDictionary(c => c, c => At(r => r.Run.BestCosts![c]));
        bool hasFront = runs[0].HypervolumeAtCheckpoints is not null;
        var points = checkpoints.Select((q, c) => new CheckpointSummary(q, At(r => r.ObjectiveCurve[q - 1]),
            hasReport ? At(r => r.ReportCurve[q - 1]) : null, hasFront ? At(r => r.HypervolumeAtCheckpoints![c]) : null)).ToArray();
        double[] Curve(Func<Outcome, double[]> curve, bool std) => Enumerable.Range(0, queries).Select(i =>
        {
            var d = Describe(runs.Select(r => curve(r)[i]).ToArray());
            return std ? d.Std : d.Mean;
        }).ToArray();
        var anytime = new AnytimeCurve(Curve(r => r.ObjectiveCurve, false), Curve(r => r.ObjectiveCurve, true),
            hasReport ? Curve(r => r.ReportCurve, false) : null, hasReport ? Curve(r => r.ReportCurve, true) : null);
        var taus = runs.Where(r => r.Run.PredictorKendallTau is not null).Select(r => r.Run.PredictorKendallTau!.Value).ToArray();
        var withinBudget = runs.Where(r => r.Run.BestWithinBudget is not null).Select(r => r.Run.BestWithinBudget!.Value).ToArray();
        return new StrategySummary(name, At(r => r.Run.BestObjective), hasReport ? At(r => r.Run.BestReport!.Value) : null,
            bestCosts, points, anytime, runs.Select(r => r.Run).ToArray(), taus.Length > 0 ? Describe(taus) : null,
            withinBudget.Length > 0 ? Describe(withinBudget) : null, withinBudget.Length);
    }

    private static MeanStd Describe(double[] values) => new(Statistics.Mean(values), Statistics.StandardDeviation(values));

    private static List<BaselineComparison> Compare(BenchConfig config, StrategySummary[] summaries, Outcome[] outcomes,
        TabularColumns columns, IReadOnlyList<int> checkpoints)
    {
        var comparisons = new List<BaselineComparison>();
        int baseline = config.Strategies.ToList().FindIndex(s => Same(s, config.Baseline));
        if (baseline < 0 || config.Seeds < 2) return comparisons;
        Outcome[] RunsOf(int s) => outcomes.AsSpan(s * config.Seeds, config.Seeds).ToArray();
        var reference = RunsOf(baseline);
        for (int s = 0; s < summaries.Length; s++)
        {
            if (s == baseline) continue;
            var runs = RunsOf(s);
            for (int c = 0; c < checkpoints.Count; c++)
            {
                int q = checkpoints[c];
                void Add(string column, Func<Outcome, double> value)
                {
                    var test = WelchTTest.Compare(runs.Select(value).ToArray(), reference.Select(value).ToArray());
                    comparisons.Add(new BaselineComparison(summaries[s].Name, config.Strategies[baseline], q, column,
                        test.Difference, test.T, test.DegreesOfFreedom, test.PValue));
                }
                Add(columns.Objective, r => r.ObjectiveCurve[q - 1]);
                if (columns.Report is not null) Add(columns.Report, r => r.ReportCurve[q - 1]);
                if (runs[0].HypervolumeAtCheckpoints is not null) Add(HypervolumeColumn, r => r.HypervolumeAtCheckpoints![c]);
            }
        }
        return comparisons;
    }

    private static bool Same(string a, string b) => StrategyCatalog.Get(a) == StrategyCatalog.Get(b);

    /// <summary>The console table: per strategy and checkpoint, mean ± std of the incumbent's objective and report,
    /// and the difference to the baseline with Welch's p-value.</summary>
    public static string FormatTable(BenchResult result)
    {
        var rows = Rows(result);
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
            text.AppendLine(string.Join("  ", row.Select((cell, c) => c < 2 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
        return text.ToString();
    }

    /// <summary>The same table in Markdown, with the command's settings above it.</summary>
    public static string FormatMarkdown(BenchResult result)
    {
        var rows = Rows(result);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Tables: {string.Join(" + ", result.Tables.Select(Path.GetFileName))}; space {result.Space}; " +
            $"{result.Seeds} seeds x {result.Queries} queries; search {result.SearchSeconds:F2} s on {result.Threads} thread(s).");
        text.AppendLine();
        text.AppendLine("| " + string.Join(" | ", rows[0]) + " |");
        text.AppendLine("|" + string.Concat(rows[0].Select((_, c) => c < 2 ? "---|" : "---:|")));
        foreach (var row in rows.Skip(1)) text.AppendLine("| " + string.Join(" | ", row) + " |");
        var predictors = result.Strategies.Where(s => s.PredictorKendallTau is not null).ToList();
        if (predictors.Count > 0) text.AppendLine();
        foreach (var s in predictors)
            text.AppendLine(CultureInfo.InvariantCulture, $"{s.Name}: predictor Kendall τ on held-out architectures {Format(s.PredictorKendallTau!)}.");
        if (result.Pareto is { } pareto)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Hypervolume of ({string.Join(", ", pareto.Objectives)}) against the reference point " +
                $"({string.Join(", ", pareto.Point.Select(v => v.ToString("G5", CultureInfo.InvariantCulture)))}), the table's worst values; " +
                $"the whole table's front ({pareto.TableFrontSize} architectures) has {pareto.TableHypervolume.ToString("G6", CultureInfo.InvariantCulture)}.");
            if (pareto.Budget is { } budget)
                foreach (var s in result.Strategies)
                    text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{s.Name}: best {result.Objective} with {pareto.Objectives[1]} <= {budget}: ") +
                        (s.BestWithinBudget is null ? "none found" : $"{Format(s.BestWithinBudget)} ({s.RunsWithinBudget} of {s.Runs.Count} runs found one)") + ".");
        }
        return text.ToString();
    }

    private static List<string[]> Rows(BenchResult result)
    {
        string column = result.Report ?? result.Objective;
        var header = new List<string> { "strategy", "queries", result.Objective };
        if (result.Report is not null) header.Add(result.Report);
        bool compared = result.Comparisons.Count > 0;
        if (compared) header.AddRange([$"diff vs {result.Baseline} ({column})", "Welch p"]);
        var pareto = result.Pareto;
        if (pareto is not null)
        {
            header.Add("hypervolume (% of table front)");
            if (compared) header.Add("Welch p (hypervolume)");
        }
        var rows = new List<string[]> { header.ToArray() };
        foreach (var strategy in result.Strategies)
            foreach (var point in strategy.Checkpoints)
            {
                var row = new List<string> { strategy.Name, point.Queries.ToString(CultureInfo.InvariantCulture), Format(point.Objective) };
                if (point.Report is not null) row.Add(Format(point.Report));
                if (compared)
                {
                    var c = result.Comparisons.FirstOrDefault(x => x.Strategy == strategy.Name && x.Queries == point.Queries && x.Column == column);
                    row.Add(c is null ? "" : c.Difference.ToString("+0.000;-0.000;0.000", CultureInfo.InvariantCulture));
                    row.Add(c is null ? "" : FormatP(c.PValue));
                }
                if (pareto is not null)
                {
                    var h = point.Hypervolume!;
                    row.Add(Format(new MeanStd(100 * h.Mean / pareto.TableHypervolume, 100 * h.Std / pareto.TableHypervolume)));
                    if (compared)
                    {
                        var c = result.Comparisons.FirstOrDefault(x => x.Strategy == strategy.Name && x.Queries == point.Queries && x.Column == HypervolumeColumn);
                        row.Add(c is null ? "" : FormatP(c.PValue));
                    }
                }
                rows.Add(row.ToArray());
            }
        return rows;
    }

    private static string Format(MeanStd value) =>
        string.Create(CultureInfo.InvariantCulture, $"{value.Mean:F2} ± {value.Std:F2}");

    public static string FormatP(double p) => p >= 0.001
        ? p.ToString("F3", CultureInfo.InvariantCulture)
        : p.ToString("0.0E+0", CultureInfo.InvariantCulture);
}
