using System.Text;
using Nascent.Core;
using Nascent.Evaluation;
using Nascent.Spaces;
using Nascent.Strategies;
using static TorchSharp.torch;

namespace Nascent.Bench;

/// <summary>
/// The ENAS controller (64 units, 1 layer): one sample through the torch forward without gradients, one through the
/// managed snapshot the strategy asks with (<see cref="ControllerSampler"/>), and ask+tell of <see cref="Enas"/>
/// (a tell is the teacher-forced torch pass with gradients, every 10th tell an Adam step). Medians of rounds of 100.
/// </summary>
internal static class ControllerBenchmark
{
    public static string Run()
    {
        var table = new StringBuilder();
        table.AppendLine("| space | decisions | torch sample | managed sample (ask) | speed-up | ask + tell |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var name in new[] { "nb201", "enas-micro" })
        {
            var space = SpaceCatalog.Create(name);
            using var enas = new Enas(space, 1);
            var random = new SeededRandom(2);
            double torchMs = PerCall(() =>
            {
                using var _ = no_grad();
                using var scope = NewDisposeScope();
                enas.Controller.Run(random: random).Dispose();
            });
            double askMs = PerCall(() => enas.Ask());
            double askTellMs = PerCall(() => enas.Tell(new Trial(0, enas.Ask(), TrialStatus.Done, new Metrics(50 + 40 * random.NextDouble()))));
            table.AppendLine($"| {name} | {space.Decisions.Count} | {torchMs:F2} ms | {askMs:F3} ms | {torchMs / askMs:F0}x | {askTellMs:F2} ms |");
        }
        return table.ToString();
    }

    /// <summary>Median over 7 rounds of the mean time of 100 calls, after 50 warm-up calls.</summary>
    private static double PerCall(Action action)
    {
        for (int i = 0; i < 50; i++) action();
        return Stats.Median(Enumerable.Range(0, 7).Select(_ => Stats.Milliseconds(() =>
        {
            for (int i = 0; i < 100; i++) action();
        }) / 100));
    }
}
