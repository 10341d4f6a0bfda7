using Nascent.Experiments.Search;

namespace Nascent.Analysis;

/// <summary>What <see cref="RankingAnalysis"/> measures and how.</summary>
public sealed record RankingAnalysisOptions
{
    /// <summary>The truth table's column of true accuracies (higher is better).</summary>
    [Setting("the truth table's column of true accuracies")]
    public string? Column { get; init; }

    /// <summary>Cells of the table scored on the supernet, a seeded random choice; null: every cell.</summary>
    [Setting("cells of the truth table scored with the shared weights, a seeded random choice (unset: all)", Min = 3)]
    public int? Cells { get; init; } = 200;

    /// <summary>The share of the best cells whose overlap is reported; 10 % is our choice, not a cited setting.</summary>
    [Setting("share of best cells whose overlap is reported", Min = 0, Max = 1, MinExclusive = true)]
    public double TopFraction { get; init; } = 0.1;

    [Setting("bootstrap resamples of the cells for each interval", Min = 1)]
    public int BootstrapResamples { get; init; } = Correlation.DefaultResamples;

    [Setting("seed of the cell choice and of the bootstrap")]
    public ulong Seed { get; init; }

    public void Validate() => Settings.Validate(this);
}

/// <summary>A finished weight-sharing search's ranking of a truth table's cells against the truth: Kendall's τ-b,
/// Spearman's ρ and the top overlap, each with its bootstrap 95 % interval over cells, and the true accuracy of the cell
/// the search returned (null when the table has no row for it).</summary>
public sealed record RankingAnalysisResult(
    string Run, string Truth, string Column, int Cells, CorrelationEstimate Kendall, CorrelationEstimate Spearman,
    double TopFraction, CorrelationEstimate TopOverlap, string ReturnedArch, double? ReturnedTruth, double TruthBest,
    double TruthMedian, int RankingImages, double WallSeconds);

/// <summary>One truth cell as the analysis scored it: its accuracy on the shared weights and its true accuracy.</summary>
public sealed record ScoredCell(string Arch, double SharedAccuracy, double TrueAccuracy);

/// <summary>
/// `nascent analyze ranking`: rebuilds a finished weight-sharing search's supernet from its run directory (config.json
/// and the latest checkpoint, which a weight-sharing search writes after every epoch by default), scores a seeded
/// sample of a truth table's cells with the shared weights exactly as the search ranked its candidates (the same
/// ranking images), and compares that ranking with the table's by rank correlation (Kendall's τ between shared-weight
/// and stand-alone accuracy is the usual measure of a one-shot supernet); the truth is any table with an arch column.
/// </summary>
public static class RankingAnalysis
{
    public static (RankingAnalysisResult Result, IReadOnlyList<ScoredCell> Cells) Run(string runDirectory, IReadOnlyList<string> truthTables, RankingAnalysisOptions options,
        IProgress<ProgressEvent>? progress = null, CancellationToken cancellation = default)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        string column = options.Column ?? throw NascentException.ForSetting(
            Settings.KeyOf(typeof(RankingAnalysisOptions), nameof(RankingAnalysisOptions.Column)), "{setting} is needed: the truth table's column of accuracies.");
        var config = SearchExperiment.ReadStoredConfig(runDirectory);
        if (!config.IsWeightSharing || config.IsLanguageModel)
            throw new NascentException($"{runDirectory} is a {config.Strategy} search: analyze ranking reads the supernet of an image weight-sharing search.");
        var run = RunDirectory.Of(runDirectory);
        var checkpoint = Checkpoint.Latest(run) ?? throw new NascentException(
            $"{runDirectory} holds no checkpoint, so its supernet is gone: run the search with --checkpoint-every 1 (the default).");
        string resultFile = run.File("result.json");
        if (!File.Exists(resultFile)) throw new NascentException($"{runDirectory} has no result.json: the search did not finish.");
        string returned = JsonNode.Parse(File.ReadAllText(resultFile))!["best"]!["arch"]!.GetValue<string>();

        var space = config.CreateSpace();
        var truth = TabularBenchmark.Load(truthTables, space, [column]);
        var random = new SeededRandom(options.Seed);
        int count = Math.Min(options.Cells ?? truth.Count, truth.Count);
        if (count < 3) throw new NascentException($"The truth table {truth.Description} has {truth.Count} cells: at least 3 are needed.");
        var rows = random.Permutation(truth.Count)[..count];
        Array.Sort(rows);

        using var data = new ImageSearchData(config);
        data.Load(progress);
        using var supernet = data.CreateSupernet();
        supernet.RestoreCheckpoint(checkpoint.State["supernet"]!.AsObject(), checkpoint.Path);
        var evaluator = supernet.RankingEvaluator();
        int truthColumn = truth.ColumnIndex(column);
        var shared = new double[count];
        var actual = new double[count];
        var bar = new ProgressReporter(progress, "rank truth", count, "arch");
        for (int i = 0; i < count; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            shared[i] = evaluator.Evaluate(truth.Architectures[rows[i]], cancellation).Accuracy;
            actual[i] = truth.Value(rows[i], truthColumn);
            bar.Advance();
        }

        var all = truth.ColumnValues(column);
        double? returnedTruth = TruthRow(truth, space.Parse(returned)) is { } row ? truth.Value(row, truthColumn) : null;
        var interval = new SeededRandom(options.Seed + 1);
        var cells = rows.Select((r, i) => new ScoredCell(truth.Architectures[r].ToString(), shared[i], actual[i])).ToArray();
        return (new RankingAnalysisResult(Path.GetFullPath(runDirectory), truth.Description, column, count,
            Correlation.WithInterval(Correlation.Kendall, shared, actual, interval, options.BootstrapResamples),
            Correlation.SpearmanWithInterval(shared, actual, interval, options.BootstrapResamples),
            options.TopFraction,
            Correlation.WithInterval((x, y) => TopOverlap(x, y, options.TopFraction), shared, actual, interval, options.BootstrapResamples),
            returned, returnedTruth, all.Max(), Statistics.Median(all), config.WeightSharing.RankingImages, clock.Elapsed.TotalSeconds),
            cells);
    }

    /// <summary>The table's row of <paramref name="cell"/>, or on NAS-Bench-201 of a cell computing the same function
    /// (<see cref="Nb201Space.FunctionKey"/>: a table of one cell per isomorphism class answers for the whole class);
    /// null when there is none.</summary>
    public static int? TruthRow(TabularBenchmark truth, Architecture cell)
    {
        if (truth.TryGetRow(cell, out int row)) return row;
        if (cell.Space is not Nb201Space) return null;
        string key = Nb201Space.FunctionKey(cell);
        for (int r = 0; r < truth.Count; r++)
            if (Nb201Space.FunctionKey(truth.Architectures[r]) == key) return r;
        return null;
    }

    /// <summary>The share of the best <paramref name="fraction"/> of cells by <paramref name="x"/> that are also among
    /// the best <paramref name="fraction"/> by <paramref name="y"/> (at least one cell each).</summary>
    public static double TopOverlap(IReadOnlyList<double> x, IReadOnlyList<double> y, double fraction)
    {
        int k = Math.Max(1, (int)Math.Round(fraction * x.Count));
        var byX = Enumerable.Range(0, x.Count).OrderByDescending(i => x[i]).ThenBy(i => i).Take(k);
        var byY = Enumerable.Range(0, y.Count).OrderByDescending(i => y[i]).ThenBy(i => i).Take(k).ToHashSet();
        return byX.Count(byY.Contains) / (double)k;
    }
}
