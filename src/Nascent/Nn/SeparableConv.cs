namespace Nascent.Nn;

/// <summary>
/// ENAS's separable convolution: ReLU, depthwise k x k convolution, pointwise 1 x 1 convolution, batch norm, applied
/// <see cref="Stacked"/> = 2 times, each with its own weights, as ENAS does in the search (melodyguan/enas
/// src/cifar10/micro_child.py:579-623, <c>_enas_conv</c> with <c>stack_conv=2</c>: relu, separable_conv2d, affine
/// fused_batch_norm, per stack) and in the fixed child (:341-367, <c>_fixed_conv</c> with <c>stack_convs=2</c>);
/// DARTS's SepConv is the same (quark0/darts cnn/operations.py:50-63).
/// </summary>
public sealed class SeparableConv : nn.Module<Tensor, Tensor>
{
    public const int Stacked = 2;

    // Each stage: ("depthwise", "pointwise", "bn"); the ReLU before each is in forward.
    private readonly ModuleList<Sequential> stages = new();

    public SeparableConv(int channels, int kernel, bool trackRunningStats) : base(nameof(SeparableConv))
    {
        for (int i = 0; i < Stacked; i++)
            stages.Add(nn.Sequential(
                ("depthwise", nn.Conv2d(channels, channels, kernel, padding: kernel / 2, groups: channels, bias: false)),
                ("pointwise", nn.Conv2d(channels, channels, 1, bias: false)),
                ("bn", new BatchNorm(channels, trackRunningStats))));
        RegisterComponents();
    }

    /// <summary>For the ONNX exporter (Export/Onnx): the stages, each applied after a ReLU.</summary>
    internal IReadOnlyList<Sequential> Stages => stages.ToList();

    public override Tensor forward(Tensor input)
    {
        var x = input.alias();
        foreach (var stage in stages)
        {
            using var activated = nn.functional.relu(x);
            x.Dispose();
            x = stage.call(activated);
        }
        return x;
    }
}
