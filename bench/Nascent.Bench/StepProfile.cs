using System.Text;
using Nascent.Nn;
using Nascent.Spaces;
using Nascent.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Nascent.Bench;

/// <summary>
/// Where a training step of a standalone NB201 network (C = 16, 1 cell per stage, MNIST shape, batch 64) spends
/// its time: one step split into forward (with loss), backward, gradient clipping and the optimizer; per
/// architecture, so the cost of each edge operation shows against an all-skip cell.
/// </summary>
internal static class StepProfile
{
    public static readonly (string Label, string Arch)[] Nb201Architectures =
    [
        ("all skip", "|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|"),
        ("all conv 1x1", "|nor_conv_1x1~0|+|nor_conv_1x1~0|nor_conv_1x1~1|+|nor_conv_1x1~0|nor_conv_1x1~1|nor_conv_1x1~2|"),
        ("all conv 3x3", "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|"),
        ("all avg pool", "|avg_pool_3x3~0|+|avg_pool_3x3~0|avg_pool_3x3~1|+|avg_pool_3x3~0|avg_pool_3x3~1|avg_pool_3x3~2|"),
        ("NB201 CIFAR-10 best", ThroughputArchitecture),
    ];

    /// <summary>The NB201 architecture the throughput benchmarks train (the best NB201 cell on CIFAR-10).</summary>
    public const string ThroughputArchitecture =
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|";

    private sealed record Phases(double Forward, double Backward, double Clip, double Optimizer)
    {
        public double Total => Forward + Backward + Clip + Optimizer;
    }

    public static string Run(int rounds = 5, int steps = 8)
    {
        var options = new NetworkOptions(1, 10, 16, 1, TrackRunningStats: true);
        var training = new TrainingOptions();
        var nets = Nb201Architectures.Select(a =>
        {
            manual_seed(1);
            var arch = Nb201Space.Instance.Parse(a.Arch);
            var net = NetworkFactory.CreateStandalone(arch, options);
            var parameters = net.parameters().ToArray();
            var opt = optim.SGD(parameters, training.LearningRate, momentum: training.Momentum,
                weight_decay: training.WeightDecay, nesterov: true);
            return (a.Label, Arch: arch, Net: net, Params: parameters, Opt: opt);
        }).ToArray();
        var x = randn(64, 1, 28, 28);
        var y = randint(0, 10, [64]);
        var samples = nets.ToDictionary(n => n.Label, _ => new List<Phases>());
        for (int round = 0; round < rounds; round++)
            foreach (var n in nets)
                for (int s = -2; s < steps; s++)
                {
                    using var scope = NewDisposeScope();
                    n.Net.train();
                    n.Net.zero_grad();
                    Tensor loss = null!;
                    double f = Stats.Milliseconds(() =>
                    {
                        loss = nn.functional.cross_entropy(n.Net.Forward(x, n.Arch), y);
                        loss.item<float>();
                    });
                    double b = Stats.Milliseconds(() => loss.backward());
                    double c = Stats.Milliseconds(() => nn.utils.clip_grad_norm_(n.Params.Where(p => p.grad is not null), training.GradientClip));
                    double o = Stats.Milliseconds(() => n.Opt.step());
                    if (s >= 0) samples[n.Label].Add(new Phases(f, b, c, o));
                }
        var md = new StringBuilder();
        md.AppendLine("| NB201 cell (C=16, batch 64) | step ms | forward+loss | backward | clip | SGD step | images/s |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var n in nets)
        {
            var list = samples[n.Label];
            double total = Stats.Median(list.Select(p => p.Total));
            md.AppendLine($"| {n.Label} | {total:F1} | {Stats.Median(list.Select(p => p.Forward)):F1} | {Stats.Median(list.Select(p => p.Backward)):F1} | " +
                $"{Stats.Median(list.Select(p => p.Clip)):F2} | {Stats.Median(list.Select(p => p.Optimizer)):F2} | {64 * 1000 / total:F0} |");
            n.Opt.Dispose();
            n.Net.Dispose();
        }
        md.AppendLine();
        md.Append(ThreadsAndBatches(rounds));
        return md.ToString();
    }

    /// <summary>Whole <see cref="Trainer.Step"/> of the throughput architecture per batch size, 2 vs 1 intra-op
    /// threads, interleaved.</summary>
    private static string ThreadsAndBatches(int rounds, int steps = 4)
    {
        int[] batches = [8, 16, 32, 64, 128, 256];
        int[] threadCounts = [2, 1];
        var arch = Nb201Space.Instance.Parse(ThroughputArchitecture);
        manual_seed(1);
        using var net = NetworkFactory.CreateStandalone(arch, new NetworkOptions(1, 10, 16, 1));
        using var trainer = new Trainer(net, new TrainingOptions(), 100_000);
        var inputs = batches.ToDictionary(b => b, b => (X: randn(b, 1, 28, 28), Y: randint(0, 10, [b])));
        var times = new Dictionary<(int, int), List<double>>();
        int original = get_num_threads();
        try
        {
            for (int round = 0; round < rounds; round++)
                foreach (int batch in batches)
                    foreach (int threads in threadCounts)
                    {
                        set_num_threads(threads);
                        var (x, y) = inputs[batch];
                        trainer.Step(x, y, arch); // warm-up for this shape and thread count
                        var samples = Enumerable.Range(0, steps).Select(_ => Stats.Milliseconds(() => trainer.Step(x, y, arch)));
                        if (!times.TryGetValue((batch, threads), out var list)) times[(batch, threads)] = list = [];
                        list.Add(Stats.Median(samples.ToArray()));
                    }
        }
        finally
        {
            set_num_threads(original);
        }
        var md = new StringBuilder();
        md.AppendLine($"`Trainer.Step` of the NB201 network above (`{ThroughputArchitecture}`) by batch size and intra-op threads " +
            $"(median of {rounds} interleaved rounds of {steps} steps):");
        md.AppendLine();
        md.AppendLine("| batch | 2 threads ms | 2 threads images/s | 1 thread ms | 1 thread images/s | 1 thread / 2 threads (time) |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|");
        foreach (int batch in batches)
        {
            double two = Stats.Median(times[(batch, 2)]), one = Stats.Median(times[(batch, 1)]);
            md.AppendLine($"| {batch} | {two:F1} | {batch * 1000 / two:F0} | {one:F1} | {batch * 1000 / one:F0} | {one / two:F2} |");
        }
        foreach (var (x, y) in inputs.Values) { x.Dispose(); y.Dispose(); }
        return md.ToString();
    }
}
