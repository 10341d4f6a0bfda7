using Nascent.Experiments.Bench;

namespace Nascent.Plots;

/// <summary>
/// A PARSEC run's entropy.png (ScottPlot, headless): the entropy of p(α|π) in nats after each π update, and on a
/// second axis the validation accuracy of the most probable architecture at each probe.
/// </summary>
public static class EntropyPlot
{
    public static void Write(string path, IReadOnlyList<ParsecHistoryPoint> history, double maximumEntropy,
        int width = 900, int height = 520)
    {
        var plot = new ScottPlot.Plot();
        var updates = history.Where(h => h.Step is null).ToArray();
        if (updates.Length > 0)
        {
            var line = plot.Add.ScatterLine(updates.Select(h => (double)h.Updates).ToArray(), updates.Select(h => h.Entropy).ToArray());
            line.LegendText = "entropy of p(α|π) (nats, left)";
            line.LineWidth = 2;
            line.Color = ScottPlot.Colors.Category10[0];
        }
        var probes = history.Where(h => h.ValidationAccuracy is not null).ToArray();
        if (probes.Length > 0)
        {
            var accuracy = plot.Add.ScatterLine(probes.Select(h => (double)h.Updates).ToArray(),
                probes.Select(h => h.ValidationAccuracy!.Value).ToArray());
            accuracy.Axes.YAxis = plot.Axes.Right;
            accuracy.LegendText = "most probable architecture, validation accuracy % (right)";
            accuracy.Color = ScottPlot.Colors.Category10[1];
            accuracy.LineWidth = 1.5f;
            plot.Axes.Right.Label.Text = "validation accuracy (%)";
        }
        plot.Axes.SetLimitsY(0, maximumEntropy * 1.05, plot.Axes.Left);
        if (probes.Length > 0) plot.Axes.SetLimitsY(0, 100, plot.Axes.Right);
        plot.Title("PARSEC: entropy of the architecture distribution over the search");
        plot.XLabel("π updates (supernet steps after warm-up)");
        plot.YLabel("entropy (nats)");
        plot.ShowLegend(ScottPlot.Alignment.LowerLeft);
        plot.SavePng(path, width, height);
    }
}
