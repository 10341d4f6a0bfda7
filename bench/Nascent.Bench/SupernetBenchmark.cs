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
