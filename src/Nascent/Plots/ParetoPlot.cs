using ScottPlot;
using Nascent.Experiments.Bench;

namespace Nascent.Plots;

/// <summary>
/// Accuracy against one cost (ScottPlot, rendered headless): every searched point in one colour, the Pareto front as
/// highlighted markers joined by the step line that bounds what it dominates. PNG or SVG, by the file's extension.
/// </summary>
public static class ParetoPlot
{
    public static void Write(string path, IReadOnlyList<double> costs, IReadOnlyList<double> accuracies,
        Objective cost, Objective? accuracy = null, string? title = null, int width = 800, int height = 600)
    {
        accuracy ??= Objective.Accuracy;
        if (costs.Count != accuracies.Count)
            throw new ArgumentException($"{costs.Count} costs for {accuracies.Count} accuracies.", nameof(accuracies));
        string extension = Extension(path);

        var front = SortedFront(costs, accuracies, cost, accuracy);
        var plot = new Plot();
        var all = plot.Add.ScatterPoints(costs.ToArray(), accuracies.ToArray());
        all.Color = Colors.Category10[0].WithAlpha(0.4);
        all.MarkerSize = 5;
        all.LegendText = $"searched ({costs.Count})";

        AddFront(plot, front.Select(i => costs[i]).ToArray(), front.Select(i => accuracies[i]).ToArray(), cost,
            Colors.Category10[3], $"Pareto front ({front.Length})", markerSize: 9);
        Save(plot, path, extension, cost, accuracy, title, width, height);
    }

    /// <summary>Several fronts on one plot (e.g. a table's whole front beside the fronts strategies found): each
    /// series is reduced to its own Pareto front and drawn as a step line in its own colour, the first one grey.</summary>
    public static void WriteFronts(string path, IReadOnlyList<(string Label, IReadOnlyList<double> Costs, IReadOnlyList<double> Accuracies)> series,
        Objective cost, Objective? accuracy = null, string? title = null, int width = 800, int height = 600)
    {
        accuracy ??= Objective.Accuracy;
        string extension = Extension(path);
        var plot = new Plot();
        for (int s = 0; s < series.Count; s++)
        {
            var (label, costs, accuracies) = series[s];
            var front = SortedFront(costs, accuracies, cost, accuracy);
            AddFront(plot, front.Select(i => costs[i]).ToArray(), front.Select(i => accuracies[i]).ToArray(), cost,
                s == 0 ? Colors.Gray : Colors.Category10[(s - 1) % 10], $"{label} ({front.Length})", markerSize: s == 0 ? 5 : 7);
        }
        Save(plot, path, extension, cost, accuracy, title, width, height);
    }

    /// <summary>Indices of the front's points by cost, then by accuracy from best.</summary>
    private static int[] SortedFront(IReadOnlyList<double> costs, IReadOnlyList<double> accuracies, Objective cost, Objective accuracy)
    {
        var points = costs.Select((c, i) => (IReadOnlyList<double>)[c, accuracies[i]]).ToArray();
        return NonDominatedSorting.ParetoFront(points, [cost, accuracy])
            .OrderBy(i => costs[i]).ThenBy(i => accuracy.ToMinimized(accuracies[i])).ToArray();
    }

    /// <summary>A front as markers joined by the step line that bounds what it dominates: from a front point the bound
    /// runs level towards worse cost until the next point takes over; with cost minimised that is to the right
    /// (horizontal first), with cost maximised to the left.</summary>
    private static void AddFront(Plot plot, double[] costs, double[] accuracies, Objective cost, Color color, string label, float markerSize)
    {
        if (costs.Length == 0) return;
        var line = plot.Add.Scatter(costs, accuracies);
        line.ConnectStyle = cost.IsMaximized ? ConnectStyle.StepVertical : ConnectStyle.StepHorizontal;
        line.Color = color;
        line.LineWidth = 2;
        line.MarkerShape = MarkerShape.FilledCircle;
        line.MarkerSize = markerSize;
        line.LegendText = label;
    }

    private static string Extension(string path)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        return extension is ".png" or ".svg" ? extension
            : throw new NascentException($"A Pareto plot is written as .png or .svg, not '{Path.GetFileName(path)}'; name the file with one of those extensions.");
    }

    private static void Save(Plot plot, string path, string extension, Objective cost, Objective accuracy, string? title, int width, int height)
    {
        plot.Title(title ?? $"{Capitalised(accuracy.Name)} against {cost.Name}");
        plot.XLabel(cost.AxisLabel);
        plot.YLabel(accuracy.AxisLabel);
        plot.ShowLegend(accuracy.IsMaximized == cost.IsMaximized ? Alignment.UpperRight : Alignment.LowerRight);
        if (extension == ".png") plot.SavePng(path, width, height);
        else plot.SaveSvg(path, width, height);
    }

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
