namespace Nascent.Nn;

/// <summary>
/// MobileNetV2's inverted residual as InstaNAS builds it (AnjieCheng/InstaNAS search/models/base.py:31-64): 1 x 1
/// expansion (BN, ReLU), k x k depthwise convolution with the block's stride (BN, ReLU), 1 x 1 linear projection (BN),
/// plus the input where stride is 1 and the widths agree (<see cref="HasIdentity"/>, base.py:35 and 62-63). The
/// residual is the module's own, so a meta-graph block with k such modules on adds k·x (instanas.py:51-55 sums the
/// modules' outputs). InstaNAS uses F.relu (base.py:58-59), not MobileNetV2's ReLU6.
/// </summary>
public sealed class InvertedResidual : nn.Module<Tensor, Tensor>
{
    private readonly ConvBnActivation expand;
    private readonly ConvBnActivation depthwise;
    private readonly ConvBnActivation project;

    public InvertedResidual(int inChannels, int outChannels, int kernel, int expansion, int stride)
        : base(nameof(InvertedResidual))
    {
        int hidden = inChannels * expansion; // base.py:42, multiplier 1
        expand = new ConvBnActivation(inChannels, hidden, 1, 1, Activation.Relu);
        depthwise = new ConvBnActivation(hidden, hidden, kernel, stride, Activation.Relu, groups: hidden);
        project = new ConvBnActivation(hidden, outChannels, 1, 1, Activation.None);
        HasIdentity = stride == 1 && inChannels == outChannels;
        RegisterComponents();
    }

    /// <summary>Whether the input is added to the projection (stride 1, same width in and out).</summary>
    public bool HasIdentity { get; }

    /// <summary>The layers in forward order (the ONNX exporter walks them).</summary>
    internal IReadOnlyList<ConvBnActivation> Layers => [expand, depthwise, project];

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = project.call(depthwise.call(expand.call(input)));
        return (HasIdentity ? x.add_(input) : x).MoveToOuterDisposeScope();
    }
}
