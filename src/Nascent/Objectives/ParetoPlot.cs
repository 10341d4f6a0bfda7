using Nascent.Core;
using ScottPlot;

namespace Nascent.Objectives;

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
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".png" or ".svg"))
            throw new NascentException($"A Pareto plot is written as .png or .svg, not '{Path.GetFileName(path)}'; name the file with one of those extensions.");

        var objectives = new[] { cost, accuracy };
        var points = costs.Select((c, i) => (IReadOnlyList<double>)[c, accuracies[i]]).ToArray();
        var front = NonDominatedSorting.ParetoFront(points, objectives)
            .OrderBy(i => costs[i]).ThenBy(i => accuracy.ToMinimized(accuracies[i])).ToArray();

        var plot = new Plot();
        var all = plot.Add.ScatterPoints(costs.ToArray(), accuracies.ToArray());
        all.Color = Colors.Category10[0].WithAlpha(0.4);
        all.MarkerSize = 5;
        all.LegendText = $"searched ({costs.Count})";

        if (front.Length > 0)
        {
            var frontLine = plot.Add.Scatter(front.Select(i => costs[i]).ToArray(), front.Select(i => accuracies[i]).ToArray());
            // From a front point the bound runs level towards worse cost until the next point takes over; with
            // cost minimised that is to the right (horizontal first), with cost maximised to the left.
            frontLine.ConnectStyle = cost.IsMaximized ? ConnectStyle.StepVertical : ConnectStyle.StepHorizontal;
            frontLine.Color = Colors.Category10[3];
            frontLine.LineWidth = 2;
            frontLine.MarkerShape = MarkerShape.FilledCircle;
            frontLine.MarkerSize = 9;
            frontLine.LegendText = $"Pareto front ({front.Length})";
        }

        plot.Title(title ?? $"{Capitalised(accuracy.Name)} against {cost.Name}");
        plot.XLabel(cost.AxisLabel);
        plot.YLabel(accuracy.AxisLabel);
        plot.ShowLegend(accuracy.IsMaximized == cost.IsMaximized ? Alignment.UpperRight : Alignment.LowerRight);
        if (extension == ".png") plot.SavePng(path, width, height);
        else plot.SaveSvg(path, width, height);
    }

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
