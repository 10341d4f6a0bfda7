namespace Nascent.Costs;

/// <summary>One architecture of a <see cref="LatencyCheck"/>: the table's prediction and the measured latency.</summary>
public sealed record LatencyCheckRow(string Arch, double PredictedMs, double MeasuredMs, double MeasuredSpread);

/// <summary>How well a table predicts measured latency: Spearman's ρ and Pearson's r between predicted and
/// measured, and the mean absolute percentage error 100 x mean(|predicted - measured| / measured).</summary>
public sealed record LatencyCheckResult(IReadOnlyList<LatencyCheckRow> Rows, double Spearman, double Pearson,
    double MapePercent, int Threads, double WallSeconds);

/// <summary>
/// Measures random architectures end to end (<see cref="MeasuredLatency"/>, with the table's network, shape, batch
/// and timing protocol) and compares them with the table's predictions.
/// </summary>
public static class LatencyCheck
{
    /// <summary>Checks <paramref name="architectures"/> random architectures drawn with <paramref name="seed"/>.</summary>
    public static LatencyCheckResult Run(LatencyTable table, int architectures, ulong seed, IProgress<ProgressEvent>? progress = null,
        LatencyOptions? options = null)
    {
        if (architectures < 2) throw new NascentException($"--archs must be at least 2 to correlate (got {architectures}).");
        var space = SpaceCatalog.Create(table.Profile.Space);
        var random = new SeededRandom(seed);
        return Run(table, Enumerable.Range(0, architectures).Select(_ => space.Sample(random)).ToArray(), progress, options);
    }

    /// <summary>Checks the given architectures (of the table's space).</summary>
    public static LatencyCheckResult Run(LatencyTable table, IReadOnlyList<Architecture> architectures,
        IProgress<ProgressEvent>? progress = null, LatencyOptions? options = null)
    {
        if (architectures.Count < 2) throw new NascentException($"A latency check needs at least 2 architectures to correlate (got {architectures.Count}).");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var measured = new MeasuredLatency(table.Network, table.Profile.InputHeight, table.Profile.InputWidth,
            options ?? table.MeasurementOptions);
        var bar = new ProgressReporter(progress, "measure", architectures.Count, "arch");
        var rows = new List<LatencyCheckRow>();
        int threads = 0;
        foreach (var architecture in architectures)
        {
            var m = measured.Measure(architecture);
            threads = m.Threads;
            rows.Add(new LatencyCheckRow(architecture.ToString(), table.PredictMs(architecture), m.MedianMs, m.Spread));
            bar.Advance();
        }
        var predicted = rows.Select(r => r.PredictedMs).ToArray();
        var actual = rows.Select(r => r.MeasuredMs).ToArray();
        double mape = 100 * rows.Average(r => Math.Abs(r.PredictedMs - r.MeasuredMs) / r.MeasuredMs);
        return new LatencyCheckResult(rows, Correlation.Spearman(predicted, actual), Correlation.Pearson(predicted, actual),
            mape, threads, clock.Elapsed.TotalSeconds);
    }
}
