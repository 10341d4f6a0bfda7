using System.Diagnostics;
using System.Text;
using Nascent.Analysis;
using Nascent.Costs;
using Nascent.Nn;
using Nascent.Spaces;

namespace Nascent.Bench;

/// <summary>
/// Latency on this machine. (1) Repeatability of <see cref="LatencyMeter"/>: each of three NAS-Bench-201 networks
/// (MNIST shape, 16 channels, 1 cell per stage, batch 1) measured 5 times independently with the default protocol;
/// the spread between the 5 medians, (max - min) / median, beside the spread inside one measurement
/// ((p90 - p10) / median of its samples). (2) The latency table's prediction quality: a table profiled, then
/// <c>archs</c> random architectures measured end to end (<see cref="LatencyCheck"/>, seed 0): Spearman's ρ,
/// Pearson's r, MAPE, and the mean ratio predicted / measured (above 1: the table over-predicts).
/// </summary>
internal static class LatencyBenchmark
{
    private static readonly NetworkOptions Mnist = new(InputChannels: 1, Classes: 10, Channels: 16, Cells: 1);
    private static readonly NetworkOptions Cifar = new(InputChannels: 3, Classes: 10, Channels: 16, Cells: 5);

    /// <summary>An architecture string in a Markdown table cell (its '|' would split the cell).</summary>
    private static string Cell(string arch) => "`" + arch.Replace("|", "\\|") + "`";

    public static string Run(int archs)
    {
        var text = new StringBuilder();
        var options = new LatencyOptions();
        text.AppendLine($"Protocol (LatencyOptions defaults): batch {options.Batch}; {options.Rounds} rounds, each a full GC, {options.Warmup} warm-up calls " +
            $"and {options.Repeats} timed samples of at least {options.MinSampleMs} ms of calls; latency = median of the round medians.\n");
        text.AppendLine("Repeatability (MNIST shape 1x28x28, 16 channels, 1 cell per stage, batch 1; 5 independent measurements):\n");
        text.AppendLine("| architecture | medians (ms) | between measurements (max-min)/median | rounds inside one (max-min)/median, median of 5 | samples inside one (p90-p10)/median, median of 5 |");
        text.AppendLine("|---|---|---:|---:|---:|");
        string[] networks =
        [
            "|skip_connect~0|+|none~0|skip_connect~1|+|none~0|none~1|skip_connect~2|",
            "|nor_conv_1x1~0|+|avg_pool_3x3~0|skip_connect~1|+|nor_conv_3x3~0|none~1|nor_conv_1x1~2|",
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|",
        ];
        foreach (var arch in networks)
        {
            var architecture = Nb201Space.Instance.Parse(arch);
            using var network = NetworkFactory.CreateStandalone(architecture, Mnist);
            var runs = Enumerable.Range(0, 5).Select(_ => LatencyMeter.Measure(network, 28, 28, options)).ToArray();
            var medians = runs.Select(r => r.MedianMs).ToArray();
            double between = (medians.Max() - medians.Min()) / Statistics.Median(medians);
            double within = Statistics.Median(runs.Select(r => r.Spread).ToArray());
            double rounds = Statistics.Median(runs.Select(r => r.RoundSpread).ToArray());
            text.AppendLine($"| {Cell(arch)} | {string.Join(", ", medians.Select(m => m.ToString("F3")))} | {100 * between:F1} % | {100 * rounds:F1} % | {100 * within:F1} % |");
        }
        text.AppendLine();
        var quick = LatencyOptions.Quick;
        text.AppendLine($"Cost a from-scratch search adds per candidate (ScratchTrainingEvaluator without a table: FLOPs count plus a quick " +
            $"latency, {quick.Warmup} warm-up calls, {quick.Repeats} samples of at least {quick.MinSampleMs} ms), 5 repetitions each:\n");
        text.AppendLine("| architecture | added wall time per candidate, median (ms) | quick latencies (ms) | between repetitions (max-min)/median |");
        text.AppendLine("|---|---:|---|---:|");
        foreach (var arch in networks)
        {
            var architecture = Nb201Space.Instance.Parse(arch);
            using var network = NetworkFactory.CreateStandalone(architecture, Mnist);
            var walls = new List<double>();
            var latencies = new List<double>();
            for (int i = 0; i < 5; i++)
            {
                var clock = Stopwatch.StartNew();
                ModelCost.Measure(network, 28, 28);
                latencies.Add(LatencyMeter.Measure(network, 28, 28, quick).MedianMs);
                walls.Add(clock.Elapsed.TotalMilliseconds);
            }
            text.AppendLine($"| {Cell(arch)} | {Statistics.Median(walls):F0} | {string.Join(", ", latencies.Select(m => m.ToString("F3")))} | " +
                $"{100 * (latencies.Max() - latencies.Min()) / Statistics.Median(latencies):F1} % |");
        }
        text.AppendLine();
        text.AppendLine($"Lookup table against end-to-end measurement ({archs} random NAS-Bench-201 architectures, seed 0, batch 1):\n");
        text.AppendLine("| shape | network | profile time | check time | measured ms (min-max) | Spearman ρ | Pearson r | MAPE | mean predicted/measured |");
        text.AppendLine("|---|---|---:|---:|---|---:|---:|---:|---:|");
        foreach (var (label, network, size) in new[] { ("MNIST 1x28x28", Mnist, 28), ("CIFAR 3x32x32", Cifar, 32) })
        {
            var clock = Stopwatch.StartNew();
            var table = LatencyTable.Create(Nb201Space.Instance, network, size, size, options);
            double profileSeconds = clock.Elapsed.TotalSeconds;
            var check = LatencyCheck.Run(table, archs, seed: 0);
            double ratio = check.Rows.Average(r => r.PredictedMs / r.MeasuredMs);
            text.AppendLine($"| {label} | {network.Channels} channels, {network.Cells} cell(s)/stage | {profileSeconds:F1} s | {check.WallSeconds:F1} s | " +
                $"{check.Rows.Min(r => r.MeasuredMs):F3}-{check.Rows.Max(r => r.MeasuredMs):F3} | {check.Spearman:F3} | {check.Pearson:F3} | " +
                $"{check.MapePercent:F1} % | {ratio:F3} |");
        }
        return text.ToString();
    }
}
