using System.Diagnostics;
using System.Globalization;
using System.Text;
using Nascent.Analysis;
using Nascent.Data;
using Nascent.Nn;
using Nascent.Spaces;
using Nascent.Training;
using static TorchSharp.torch;

namespace Nascent.Bench;

/// <summary>
/// What a training step of the InstaNAS meta-graph costs (default stages, MNIST, batch 64, SGD): one fixed selection,
/// the full meta-graph, and per-image policies of several densities through <see cref="InstaNasNetwork.ForwardMasked"/>
/// (each module on the images that select it), beside the same policies run the simple way, every module on every
/// image multiplied by its mask: the cost the gather avoids; and the controller's forward and backward. Each in the
/// contiguous layout and with channels-last strides, alternating step by step in one process; medians.
/// </summary>
internal static class InstaNasBenchmark
{
    private const int Batch = 64, Warmup = 3, Timed = 12;

    public static string Run()
    {
        using var data = DatasetLoader.Load(new DataOptions
        {
            Dataset = DatasetKind.Mnist, DataDirectory = DataDirectories.Resolve(null), TrainSubset = 2000, ValidationSize = 1000, Seed = 0,
        });
        manual_seed(0);
        using var network = new InstaNasNetwork(new MetaGraphOptions(1, 10, MetaGraphOptions.DefaultStemChannels, MetaGraphOptions.DefaultStages));
        var space = network.Space;
        var mobile = space.MobileNetV2;
        var mobileMatrix = network.ToMatrix(mobile);
        var fullMatrix = network.ToMatrix(space.Full);
        using var generator = new Generator(7);
        Tensor Policies(double keep) => bernoulli(full([Batch, network.Blocks.Count, InstaNasSpace.Modules.Count], keep), generator);

        var rows = new List<(string Name, (double Contiguous, double ChannelsLast) Ms)>
        {
            ("fixed MobileNetV2-like selection (ir3e6 in every block)", Time(network, data.Train, _ => x => network.Forward(x, mobileMatrix))),
            ("full meta-graph (every module on)", Time(network, data.Train, _ => x => network.Forward(x, fullMatrix))),
        };
        foreach (double keep in new[] { 0.5, 0.2 })
        {
            rows.Add(($"per-image policies, each module on with p = {keep}: gathered (ForwardMasked)",
                Time(network, data.Train, _ => { var p = Policies(keep); return x => network.ForwardMasked(x, p); })));
            rows.Add(($"the same policies, every module on every image times its mask",
                Time(network, data.Train, _ => { var p = Policies(keep); return x => MaskMultiplied(network, x, p); })));
        }
        using var controller = new InstaNasPolicyNetwork(1, network.Blocks.Count, InstaNasSpace.Modules.Count);
        rows.Add(("controller (Policy32's shape, width 16): forward and backward of the policy", TimeController(controller, data.Train)));
        var md = new StringBuilder();
        md.AppendLine($"Training step (forward, backward, SGD) of the default meta-graph ({MetaGraphOptions.DefaultStages}, stem {MetaGraphOptions.DefaultStemChannels}), MNIST, batch {Batch}, " +
            $"in the contiguous (NCHW) layout and with channels-last strides (`ChannelsLast`), the two layouts alternating step by step; median of {Timed} steps each after {Warmup}, threads {get_num_threads()}.");
        md.AppendLine();
        md.AppendLine("| step | contiguous ms | channels-last ms | channels-last / contiguous | contiguous / full meta-graph |");
        md.AppendLine("|---|---:|---:|---:|---:|");
        double fullMs = rows[1].Ms.Contiguous;
        foreach (var (name, (plain, last)) in rows)
            md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {plain:F1} | {last:F1} | {last / plain:F2} | {plain / fullMs:F2} |"));
        return md.ToString();
    }

    /// <summary>Median step times of the contiguous and the channels-last layout, alternating step by step.</summary>
    private static (double Contiguous, double ChannelsLast) Time(InstaNasNetwork network, ImageDataset train, Func<int, Func<Tensor, Tensor>> forwardForStep)
    {
        var batches = new BatchSampler(train, Batch, 1, dropLast: true);
        using var trainer = new Trainer(network, new TrainingOptions { Epochs = 1, BatchSize = Batch }, 2 * (Warmup + Timed));
        var times = new[] { new List<double>(), new List<double>() };
        for (int step = 0; step < 2 * (Warmup + Timed); step++)
        {
            using var scope = NewDisposeScope();
            var (images, labels) = batches.Next();
            var forward = forwardForStep(step);
            network.ChannelsLast = step % 2 == 1;
            long start = Stopwatch.GetTimestamp();
            trainer.Step(images, labels, forward);
            if (step >= 2 * Warmup) times[step % 2].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        network.ChannelsLast = false;
        return (Statistics.Median(times[0]), Statistics.Median(times[1]));
    }

    /// <summary>The controller's forward and backward (of the policy's sum) in both layouts, alternating.</summary>
    private static (double Contiguous, double ChannelsLast) TimeController(InstaNasPolicyNetwork controller, ImageDataset train)
    {
        var batches = new BatchSampler(train, Batch, 2, dropLast: true);
        var times = new[] { new List<double>(), new List<double>() };
        controller.train();
        for (int step = 0; step < 2 * (Warmup + Timed); step++)
        {
            using var scope = NewDisposeScope();
            var (images, _) = batches.Next();
            controller.ChannelsLast = step % 2 == 1;
            controller.zero_grad();
            long start = Stopwatch.GetTimestamp();
            controller.call(images).sum().backward();
            if (step >= 2 * Warmup) times[step % 2].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        controller.ChannelsLast = false;
        return (Statistics.Median(times[0]), Statistics.Median(times[1]));
    }

    /// <summary>The reference the gather replaces: every module on the whole batch, multiplied by its mask column.</summary>
    private static Tensor MaskMultiplied(InstaNasNetwork network, Tensor input, Tensor policies)
    {
        var effective = network.EffectiveMasks(policies);
        var x = network.Stem(input);
        for (int b = 0; b < network.Blocks.Count; b++)
        {
            var block = network.Blocks[b];
            Tensor? sum = null;
            for (int m = 0; m < InstaNasSpace.Modules.Count; m++)
            {
                var y = block[m].call(x).mul(effective.select(1, b).select(1, m).view(-1, 1, 1, 1));
                sum = sum is null ? y : sum.add(y);
            }
            x = block.KeepsShape ? sum!.add(x) : sum!;
        }
        return network.Head(x);
    }
}
