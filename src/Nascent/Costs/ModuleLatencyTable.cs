namespace Nascent.Costs;

/// <summary>
/// InstaNAS's latency lookup table, measured on this machine: every module of every block of a meta-graph timed alone
/// at batch 1 on the input shape it sees (<see cref="LatencyMeter"/>; the cost of a call itself, timed on an empty
/// call, is taken off each entry and counted once), plus the parts every selection runs (stem and head,
/// <see cref="FixedMs"/>) and the controller (<see cref="ControllerMs"/>). A selection's latency is predicted as
/// the fixed parts plus the modules that run (<see cref="InstaNasBlock.Effective"/>): the sum the reward shapes.
/// </summary>
/// <param name="ModuleMs">[block][module] milliseconds at batch 1.</param>
public sealed record ModuleLatencyTable(double[][] ModuleMs, double FixedMs, double ControllerMs, int Threads)
{
    public static ModuleLatencyTable Measure(InstaNasNetwork network, InstaNasPolicyNetwork controller, int height, int width,
        LatencyOptions options)
    {
        bool wasTraining = network.training, controllerWasTraining = controller.training;
        network.eval();
        controller.eval();
        try
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            long[] inputShape = [1, network.Options.InputChannels, height, width];
            // Every entry is timed as a call of its own, and each call pays the harness (a dispose scope, the call):
            // that overhead is taken off each entry and counted once, in the fixed part, as a whole network pays it once.
            double overhead = LatencyMeter.Measure(x => x.alias(), inputShape, options).MedianMs;
            double Net(double ms) => Math.Max(0, ms - overhead);
            double stem = LatencyMeter.Measure(x => network.Stem(x), inputShape, options).MedianMs;
            var x = network.Stem(ones(inputShape));
            var table = new double[network.Blocks.Count][];
            foreach (var (block, b) in network.Blocks.Select((block, b) => (block, b)))
            {
                table[b] = new double[InstaNasSpace.Modules.Count];
                for (int m = 0; m < table[b].Length; m++)
                    table[b][m] = Net(LatencyMeter.Measure(input => block[m].call(input), x.shape, options).MedianMs);
                x = block.call(x);
            }
            double head = LatencyMeter.Measure(features => network.Head(features), x.shape, options).MedianMs;
            double control = LatencyMeter.Measure(image => controller.call(image), inputShape, options).MedianMs;
            return new ModuleLatencyTable(table, stem + Net(head), control, get_num_threads());
        }
        finally
        {
            network.train(wasTraining);
            controller.train(controllerWasTraining);
        }
    }

    public int Blocks => ModuleMs.Length;

    /// <summary>The table as a [blocks, modules] tensor, for per-image sums over a policy.</summary>
    private Tensor ToTensor() => tensor(ModuleMs.SelectMany(row => row).Select(v => (float)v).ToArray(), [Blocks, ModuleMs[0].Length]);

    /// <summary>The modules' milliseconds of each image of a policy: <paramref name="effectiveMasks"/> is
    /// [N, blocks, modules] of the modules that run (<see cref="InstaNasNetwork.EffectiveMasks"/>).</summary>
    public Tensor ModulesMs(Tensor effectiveMasks)
    {
        using var table = ToTensor();
        return effectiveMasks.mul(table).sum([1, 2]);
    }

    /// <summary>The modules' milliseconds of one selection.</summary>
    public double ModulesMs(InstaNasNetwork network, Architecture selection)
    {
        var matrix = network.ToMatrix(selection);
        double sum = 0;
        var on = new bool[InstaNasSpace.Modules.Count];
        for (int b = 0; b < Blocks; b++)
        {
            for (int m = 0; m < on.Length; m++) on[m] = matrix[b, m];
            for (int m = 0; m < on.Length; m++) if (network.Blocks[b].Effective(on, m)) sum += ModuleMs[b][m];
        }
        return sum;
    }

    /// <summary>A selection's predicted latency without the controller: fixed parts plus modules.</summary>
    public double PredictMs(InstaNasNetwork network, Architecture selection) => FixedMs + ModulesMs(network, selection);

    /// <summary>InstaNAS's latency bounds, in module milliseconds: every module on (<c>Max</c>), the cheapest
    /// selection that runs (<c>Min</c>: only the default modules the shape-changing blocks need) and the
    /// MobileNetV2-like selection of one 3 x 3, expansion-6 inverted residual per block (<c>MobileNetV2</c>).</summary>
    public (double Max, double Min, double MobileNetV2) Baselines(InstaNasNetwork network)
    {
        var space = network.Space;
        return (ModulesMs(network, space.Full), ModulesMs(network, space.Empty), ModulesMs(network, space.MobileNetV2));
    }
}
