using System.Text;
using Nascent.Core;
using Nascent.Nn;
using Nascent.Spaces;
using Nascent.Training;
using static TorchSharp.torch;

namespace Nascent.Bench;

/// <summary>
/// The ENAS micro network at the search defaults (5 nodes, C = 16, 1 cell per stage, batch 64, MNIST shape):
/// parameters of the supernet and of standalone children, and the <see cref="Trainer.Step"/> time of the supernet on
/// a path and of that path's standalone child, interleaved (<see cref="SupernetBenchmark.Interleave"/>). Paths are the
/// first samples of seed 1, so runs before and after a change of the child's structure time the same paths.
/// </summary>
internal static class EnasMicroBenchmark
{
    public static string Run(int paths = 3, int rounds = 4, int stepsPerBlock = 3, int channels = 16, int batch = 64)
    {
        var space = new EnasMicroSpace();
        var random = new SeededRandom(1);
        manual_seed(1);
        var searchOptions = new NetworkOptions(1, 10, channels, 1, TrackRunningStats: false);
        var childOptions = searchOptions with { TrackRunningStats = true };
        using var supernet = NetworkFactory.CreateSupernet(space, searchOptions);
        using var superTrainer = new Trainer(supernet, new TrainingOptions(), 1000);
        using var x = randn(batch, 1, 28, 28);
        using var y = randint(0, 10, [batch]);
        var md = new StringBuilder();
        md.AppendLine($"ENAS micro ({space.Nodes} nodes, C={channels}, 1 cell per stage, batch {batch}, input 1x28x28): supernet " +
            $"parameters {supernet.ParameterCount():N0}. Per path (the first {paths} samples of seed 1): the standalone child's " +
            $"parameters and `Trainer.Step` (SGD, clipping) of the supernet on the path and of the child (running statistics), " +
            $"3 warm-up steps, then {rounds} rounds of {stepsPerBlock} steps each, interleaved; median step time.");
        md.AppendLine();
        md.AppendLine("| path | child parameters | supernet step ms | child step ms |");
        md.AppendLine("|---:|---:|---:|---:|");
        var superTimes = new List<double>();
        var childTimes = new List<double>();
        for (int p = 1; p <= paths; p++)
        {
            var arch = space.Sample(random);
            using var child = NetworkFactory.CreateStandalone(arch, childOptions);
            using var childTrainer = new Trainer(child, new TrainingOptions(), 1000);
            var (superMs, childMs) = SupernetBenchmark.Interleave(
                () => superTrainer.Step(x, y, arch), () => childTrainer.Step(x, y, arch), rounds, stepsPerBlock);
            superTimes.Add(superMs);
            childTimes.Add(childMs);
            md.AppendLine($"| {p} | {child.ParameterCount():N0} | {superMs:F1} | {childMs:F1} |");
        }
        md.AppendLine();
        md.AppendLine($"- median over paths: supernet step {Stats.Median(superTimes):F1} ms, child step {Stats.Median(childTimes):F1} ms");
        return md.ToString();
    }
}
