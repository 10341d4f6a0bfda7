using Nascent.Experiments.Bench;

namespace Nascent.Plots;

/// <summary>An InstaNAS run's figures (ScottPlot, headless): the histogram of measured per-image latencies, and how
/// often each module is chosen for each class.</summary>
public static class InstaNasPlots
{
    /// <summary>latency_histogram.png: InstaNAS's per-image latencies, with the full meta-graph's and the fixed
    /// selection's mean per-image latencies as vertical lines.</summary>
    public static void WriteLatencyHistogram(string path, IReadOnlyList<double> latencies, IReadOnlyList<(string Label, double MeanMs)> references)
    {
        var plot = new ScottPlot.Plot();
        double max = Math.Max(latencies.Max(), references.Select(r => r.MeanMs).DefaultIfEmpty(0).Max()) * 1.05;
        var histogram = ScottPlot.Statistics.Histogram.WithBinCount(40, 0, max);
        histogram.AddRange(latencies);
        var bars = plot.Add.Bars(histogram.Bins, histogram.Counts);
        foreach (var bar in bars.Bars) bar.Size = histogram.FirstBinSize * 0.9;
        bars.LegendText = $"InstaNAS, per image (mean {Statistics.Mean(latencies):F3} ms)";
        foreach (var ((label, mean), k) in references.Select((r, k) => (r, k)))
        {
            var line = plot.Add.VerticalLine(mean);
            line.LegendText = $"{label}, mean ({mean:F3} ms)";
            line.Color = ScottPlot.Colors.Category10[(3 + k) % 10];
        }
        plot.Axes.SetLimitsX(0, max);
        plot.Axes.Margins(bottom: 0);
        plot.Title("Measured latency per image at batch 1 (controller included)");
        plot.XLabel("latency (ms)");
        plot.YLabel("images");
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        plot.SavePng(path, 900, 520);
    }

    /// <summary>module_usage.png: for each class (rows) the fraction of its images that run each (block, module)
    /// (columns), as a heatmap.</summary>
    public static void WriteModuleUsage(string path, double[,] usage, int blocks)
    {
        var plot = new ScottPlot.Plot();
        var heatmap = plot.Add.Heatmap(usage);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(heatmap).Label = "fraction of the class's images";
        int modules = InstaNasSpace.Modules.Count;
        var ticks = Enumerable.Range(0, blocks * modules)
            .Select(k => new ScottPlot.Tick(k, $"b{k / modules} {InstaNasSpace.Modules[k % modules]}")).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 90;
        plot.Axes.Bottom.TickLabelStyle.Alignment = ScottPlot.Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 90; // room for the rotated (block, module) names
        var rows = usage.GetLength(0);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, rows).Select(c => new ScottPlot.Tick(rows - 1 - c, $"class {c}")).ToArray()); // row 0 is drawn at the top
        plot.Title("How often each module is chosen, per class (test set)");
        plot.SavePng(path, Math.Max(900, 26 * blocks * modules + 200), 600);
    }
}
