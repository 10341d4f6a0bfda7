using System.Text;
using Nascent.Core;
using Nascent.Nn;
using Nascent.Spaces;
using Nascent.Training;
using static TorchSharp.torch;

namespace Nascent.Bench;

/// <summary>
/// A supernet's training step on a sampled path against a standalone network of that same path (same options, same
/// weights), in both spaces at MNIST shape. Steps of the two alternate in blocks, the order flipping each round, so
/// drift of the machine's speed falls on both alike; each network's figure is the median step time.
/// </summary>
internal static class SupernetBenchmark
{
    public const double Target = 1.10;

    public static string Run(int paths = 3, int rounds = 6, int stepsPerBlock = 3, int channels = 16)
    {
        var md = new StringBuilder();
        md.AppendLine($"Supernet vs standalone training step (`Trainer.Step`: SGD, clipping; C={channels}, 1 cell per stage, " +
            $"batch-statistics batch norm in both, input 1x28x28). {paths} sampled paths per space (seed 1), 3 warm-up steps each, " +
            $"then {rounds} rounds of {stepsPerBlock} steps per network, interleaved A/B with the order flipped each round; median step time.");
        md.AppendLine();
        md.AppendLine("| space | batch | path | supernet ms | standalone ms | supernet / standalone |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|");
        var summary = new List<string>();
        foreach (SearchSpace space in new SearchSpace[] { Nb201Space.Instance, new EnasMicroSpace() })
            foreach (int batch in new[] { 64, 8 })
            {
                var ratios = new List<double>();
                var random = new SeededRandom(1);
                manual_seed(1);
                var options = new NetworkOptions(1, 10, channels, 1, TrackRunningStats: false);
                using var supernet = NetworkFactory.CreateSupernet(space, options);
                using var superTrainer = new Trainer(supernet, new TrainingOptions(), 1000);
                using var x = randn(batch, 1, 28, 28);
                using var y = randint(0, 10, [batch]);
                for (int p = 1; p <= paths; p++)
                {
                    var arch = space.Sample(random);
                    using var standalone = NetworkFactory.CreateStandalone(arch, options);
                    standalone.LoadPathFrom(supernet);
                    using var soloTrainer = new Trainer(standalone, new TrainingOptions(), 1000);
                    var (superMs, soloMs) = Interleave(
                        () => superTrainer.Step(x, y, arch), () => soloTrainer.Step(x, y, arch), rounds, stepsPerBlock);
                    ratios.Add(superMs / soloMs);
                    md.AppendLine($"| {space.Name} | {batch} | {p} | {superMs:F1} | {soloMs:F1} | {superMs / soloMs:F3} |");
                }
                double mean = Stats.GeometricMean(ratios);
                string verdict = batch == 64 ? (mean <= Target ? $" (target <= {Target:F2}: met)" : $" (target <= {Target:F2}: NOT met)") : "";
                summary.Add($"- {space.Name}, batch {batch}: supernet / standalone {mean:F3} (geometric mean of {paths} paths){verdict}");
            }
        md.AppendLine();
        foreach (var line in summary) md.AppendLine(line);
        return md.ToString();
    }

    /// <summary>
    /// The ENAS micro network at the search defaults (5 nodes, C = 16, 1 cell per stage, batch 64, MNIST shape):
    /// parameters of the supernet and of standalone children, the children's multiply-accumulates per image
    /// (<see cref="Nascent.Costs.ModelCost"/>: a step's work, whatever the machine's load), and the
    /// <see cref="Trainer.Step"/> time of the supernet on a path and of that path's standalone child, interleaved
    /// (<see cref="Interleave"/>). Paths are the first samples of seed 1, so runs before and after a change of the
    /// child's structure time the same paths.
    /// </summary>
    public static string RunEnasMicro(int paths = 3, int rounds = 3, int stepsPerBlock = 3, int channels = 16, int batch = 64)
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
            $"parameters and multiply-accumulates per image, and `Trainer.Step` (SGD, clipping) of the supernet on the path " +
            $"and of the child (running statistics), " +
            $"3 warm-up steps, then {rounds} rounds of {stepsPerBlock} steps each, interleaved; median step time.");
        md.AppendLine();
        md.AppendLine("| path | child parameters | child MACs per image | supernet step ms | child step ms |");
        md.AppendLine("|---:|---:|---:|---:|---:|");
        var superTimes = new List<double>();
        var childTimes = new List<double>();
        for (int p = 1; p <= paths; p++)
        {
            var arch = space.Sample(random);
            using var child = NetworkFactory.CreateStandalone(arch, childOptions);
            using var childTrainer = new Trainer(child, new TrainingOptions(), 1000);
            var (superMs, childMs) = Interleave(
                () => superTrainer.Step(x, y, arch), () => childTrainer.Step(x, y, arch), rounds, stepsPerBlock);
            superTimes.Add(superMs);
            childTimes.Add(childMs);
            long macs = Nascent.Costs.ModelCost.Measure(child, 28, 28).Flops;
            md.AppendLine($"| {p} | {child.ParameterCount():N0} | {macs:N0} | {superMs:F1} | {childMs:F1} |");
        }
        md.AppendLine();
        md.AppendLine($"- median over paths: supernet step {Stats.Median(superTimes):F1} ms, child step {Stats.Median(childTimes):F1} ms");
        return md.ToString();
    }

    /// <summary>Median step times (ms) of two actions timed in alternating blocks after a warm-up.</summary>
    public static (double A, double B) Interleave(Action a, Action b, int rounds, int stepsPerBlock, int warmUp = 3)
    {
        for (int i = 0; i < warmUp; i++) { a(); b(); }
        var timesA = new List<double>();
        var timesB = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            bool aFirst = round % 2 == 0;
            for (int pass = 0; pass < 2; pass++)
            {
                var (action, times) = (pass == 0) == aFirst ? (a, timesA) : (b, timesB);
                for (int s = 0; s < stepsPerBlock; s++) times.Add(Stats.Milliseconds(action));
            }
        }
        return (Stats.Median(timesA), Stats.Median(timesB));
    }
}
