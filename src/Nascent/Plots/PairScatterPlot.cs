using Nascent.Experiments.Bench;

namespace Nascent.Plots;

/// <summary>A scatter plot of paired values as a PNG (ScottPlot, rendered headless), with Pearson's r and
/// Spearman's ρ in the title. Points are translucent: graph edit distances are whole numbers and pile up.</summary>
public static class PairScatterPlot
{
    public static void Write(string path, IReadOnlyList<double> x, IReadOnlyList<double> y, string title, string xLabel,
        string yLabel, int width = 800, int height = 600)
    {
        var plot = new ScottPlot.Plot();
        var points = plot.Add.ScatterPoints(x.ToArray(), y.ToArray());
        points.Color = ScottPlot.Colors.Category10[0].WithAlpha(0.35);
        points.MarkerSize = 6;
        double r = Correlation.Pearson(x, y), rho = Correlation.Spearman(x, y);
        plot.Title($"{title}\nPearson r = {Format(r)}, Spearman ρ = {Format(rho)}, n = {x.Count}");
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.SavePng(path, width, height);
    }

    private static string Format(double value) =>
        double.IsNaN(value) ? "n/a" : value.ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
}
