namespace Nascent.Costs;

/// <summary>
/// Size and compute of a built network: <see cref="Params"/> trainable parameters (batch-norm affine weights
/// included) and <see cref="Flops"/> multiply-accumulates of one image (batch 1), counted as NAS-Bench-201 counts
/// them: convolution and linear layers only (a bias adds one per output), never pooling, batch norm or ReLU.
/// </summary>
public sealed record ModelCost(long Params, long Flops)
{
    public static ModelCost Zero { get; } = new(0, 0);

    /// <summary>Parameters in millions, as NAS-Bench-201's <c>params_*_m</c> columns.</summary>
    public double ParamsMillions => Params / 1e6;

    /// <summary>Multiply-accumulates in millions, as NAS-Bench-201's <c>flops_*_m</c> columns.</summary>
    public double MFlops => Flops / 1e6;

    public static ModelCost operator +(ModelCost a, ModelCost b) => new(a.Params + b.Params, a.Flops + b.Flops);

    public static ModelCost operator -(ModelCost a, ModelCost b) => new(a.Params - b.Params, a.Flops - b.Flops);

    /// <summary>Builds the standalone network of <paramref name="architecture"/> and measures it on an image of
    /// <paramref name="inputHeight"/> x <paramref name="inputWidth"/> pixels.</summary>
    public static ModelCost Of(Architecture architecture, NetworkOptions options, int inputHeight, int inputWidth)
    {
        // Running statistics change no count; they let the network run in evaluation mode on one image.
        using var network = NetworkFactory.CreateStandalone(architecture, options with { TrackRunningStats = true });
        return Measure(network, inputHeight, inputWidth);
    }

    /// <summary>
    /// Counts a built network: its parameters, and the multiply-accumulates of every convolution and linear layer
    /// that one forward pass of a zero image (batch 1) calls, once per call. Layers the pass never reaches (an
    /// operation whose output nothing uses still runs, as in NAS-Bench-201; a supernet's other paths do not)
    /// cost no FLOPs.
    /// </summary>
    public static ModelCost Measure(CellNetwork network, int inputHeight, int inputWidth)
    {
        if (inputHeight < 1 || inputWidth < 1)
            throw new NascentException($"The input size must be at least 1 x 1 pixels (got {inputHeight} x {inputWidth}).");
        if (network.IsSupernet)
            throw new ArgumentException("A supernet has no single cost: measure an architecture's standalone network.", nameof(network));
        long macs = 0;
        var removals = new List<Action>();
        foreach (var module in network.modules())
            if (module is Convolution or Linear)
            {
                var layer = (nn.Module<Tensor, Tensor>)module;
                var hook = layer.register_forward_hook((m, _, output) =>
                {
                    macs += LayerMacs(m, output);
                    return output; // unchanged
                });
                removals.Add(hook.remove);
            }
        bool wasTraining = network.training;
        try
        {
            network.eval();
            using var _ = no_grad();
            using var input = zeros(1, network.Options.InputChannels, inputHeight, inputWidth);
            using var output = network.forward(input);
        }
        finally
        {
            foreach (var remove in removals) remove();
            network.train(wasTraining);
        }
        return new ModelCost(network.ParameterCount(), macs);
    }

    /// <summary>One output element of a convolution or linear layer takes one multiply-accumulate per weight of
    /// its output channel (in/groups x kernel for a convolution, in for a linear layer), plus one for a bias.</summary>
    private static long LayerMacs(nn.Module<Tensor, Tensor> layer, Tensor output)
    {
        var (weight, bias) = layer switch
        {
            Convolution convolution => (convolution.weight!, convolution.bias),
            Linear linear => (linear.weight!, linear.bias),
            _ => throw new ArgumentException($"No multiply-accumulate count for a {layer.GetType().Name}.", nameof(layer)),
        };
        long perOutput = weight.numel() / weight.shape[0] + (bias is null ? 0 : 1);
        return output.numel() / output.shape[0] * perOutput;
    }
}
