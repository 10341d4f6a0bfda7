using Nascent.Experiments.Bench;

namespace Nascent.Plots;

/// <summary>A run's search curve (ScottPlot, rendered headless): every trial's accuracy by trial number, one colour
/// per phase, and the best-so-far of the scored trials as a step line. PNG.</summary>
public static class SearchCurvePlot
{
    public static void Write(string path, IReadOnlyList<(int Number, double Accuracy, Strategies.TrialPhase Phase)> trials,
        IReadOnlyList<(int Number, double Best)> bestSoFar, int width = 900, int height = 480)
    {
        var plot = new ScottPlot.Plot();
        var phases = trials.Select(t => t.Phase).Distinct().ToList();
        for (int p = 0; p < phases.Count; p++)
        {
            var points = trials.Where(t => t.Phase == phases[p]).ToArray();
            var scatter = plot.Add.ScatterPoints(points.Select(t => (double)t.Number).ToArray(), points.Select(t => t.Accuracy).ToArray());
            scatter.Color = ScottPlot.Colors.Category10[(p + 1) % 10].WithAlpha(0.45);
            scatter.MarkerSize = 5;
            scatter.LegendText = $"{Experiments.Execution.TrialStore.PhaseName(phases[p])} ({points.Length})";
        }
        if (bestSoFar.Count > 0)
        {
            var best = plot.Add.Scatter(bestSoFar.Select(b => (double)b.Number).ToArray(), bestSoFar.Select(b => b.Best).ToArray());
            best.ConnectStyle = ScottPlot.ConnectStyle.StepHorizontal;
            best.Color = ScottPlot.Colors.Category10[0];
            best.LineWidth = 2;
            best.MarkerSize = 0;
            best.LegendText = "best so far";
        }
        plot.Title("Accuracy of each trial and the best so far");
        plot.XLabel("trial (in the order run)");
        plot.YLabel("accuracy (%)");
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        plot.SavePng(path, width, height);
    }
}
