using Nascent.Experiments.Bench;

namespace Nascent.Plots;

/// <summary>The distribution of a run's trial accuracies as a histogram (ScottPlot, rendered headless). PNG.</summary>
public static class AccuracyHistogramPlot
{
    public static void Write(string path, IReadOnlyList<double> accuracies, int width = 900, int height = 420)
    {
        var plot = new ScottPlot.Plot();
        if (accuracies.Count > 0)
        {
            double low = accuracies.Min(), high = accuracies.Max();
            int bins = Math.Clamp((int)Math.Ceiling(2 * Math.Sqrt(accuracies.Count)), 10, 50);
            double size = high > low ? (high - low) / bins : 1;
            var counts = new double[bins];
            foreach (double a in accuracies) counts[Math.Min(bins - 1, (int)((a - low) / size))]++;
            var centres = Enumerable.Range(0, bins).Select(b => low + (b + 0.5) * size).ToArray();
            var bars = plot.Add.Bars(centres, counts);
            foreach (var bar in bars.Bars)
            {
                bar.Size = size * 0.95;
                bar.FillColor = ScottPlot.Colors.Category10[0];
                bar.LineWidth = 0;
            }
            plot.Axes.Margins(bottom: 0);
        }
        plot.Title($"Distribution of trial accuracies ({accuracies.Count} trials)");
        plot.XLabel("accuracy (%)");
        plot.YLabel("trials");
        plot.SavePng(path, width, height);
    }
}
