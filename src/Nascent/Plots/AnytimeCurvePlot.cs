using Nascent.Experiments.Bench;

namespace Nascent.Plots;

/// <summary>
/// Draws a bench run's anytime curves as a PNG (ScottPlot, rendered headless by SkiaSharp): per strategy the mean
/// best-so-far after each query with a ±1 std band over seeds.
/// </summary>
public static class AnytimeCurvePlot
{
    /// <summary>Writes the objective curves, or with <paramref name="report"/> the incumbent's report metric.</summary>
    public static void Write(string path, BenchResult result, bool report, int width = 900, int height = 560)
    {
        var plot = new ScottPlot.Plot();
        var xs = Enumerable.Range(1, result.Queries).Select(q => (double)q).ToArray();
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        int from = Math.Min(result.Queries - 1, Math.Max(0, result.Queries / 10)); // skip the first tenth's steep climb when scaling
        for (int s = 0; s < result.Strategies.Count; s++)
        {
            var strategy = result.Strategies[s];
            var mean = report ? strategy.Anytime.ReportMean : strategy.Anytime.ObjectiveMean;
            var std = report ? strategy.Anytime.ReportStd : strategy.Anytime.ObjectiveStd;
            if (mean is null || std is null) continue;
            var color = ScottPlot.Colors.Category10[s % ScottPlot.Colors.Category10.Length];
            var lower = mean.Select((m, i) => m - std[i]).ToArray();
            var upper = mean.Select((m, i) => m + std[i]).ToArray();
            var band = plot.Add.FillY(xs, lower, upper);
            band.FillColor = color.WithAlpha(0.18);
            band.LineColor = ScottPlot.Colors.Transparent;
            var line = plot.Add.ScatterLine(xs, mean);
            line.Color = color;
            line.LineWidth = 2;
            line.LegendText = $"{strategy.Name} ({result.Seeds} seeds)";
            low = Math.Min(low, lower.Skip(from).Min());
            high = Math.Max(high, upper.Skip(from).Max());
        }
        string column = report ? result.Report ?? result.Objective : result.Objective;
        plot.Title(report ? $"{column} of the best-so-far by {result.Objective}" : $"best {column} so far");
        plot.XLabel("queries");
        plot.YLabel($"{column} (mean ± std over seeds)");
        if (double.IsFinite(low) && double.IsFinite(high) && high > low)
        {
            double margin = (high - low) * 0.05;
            plot.Axes.SetLimits(1, result.Queries, low - margin, high + margin);
        }
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        plot.SavePng(path, width, height);
    }
}
