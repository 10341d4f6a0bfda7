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
    private readonly nn.Module<Tensor, Tensor> expand;
    private readonly nn.Module<Tensor, Tensor> expandBn;
    private readonly nn.Module<Tensor, Tensor> depthwise;
    private readonly nn.Module<Tensor, Tensor> depthwiseBn;
    private readonly nn.Module<Tensor, Tensor> project;
    private readonly nn.Module<Tensor, Tensor> projectBn;

    public InvertedResidual(int inChannels, int outChannels, int kernel, int expansion, int stride)
        : base(nameof(InvertedResidual))
    {
        int hidden = inChannels * expansion; // base.py:42, multiplier 1
        expand = nn.Conv2d(inChannels, hidden, 1, bias: false);
        expandBn = new BatchNorm(hidden, trackRunningStats: true);
        depthwise = nn.Conv2d(hidden, hidden, kernel, stride: stride, padding: kernel / 2, groups: hidden, bias: false);
        depthwiseBn = new BatchNorm(hidden, trackRunningStats: true);
        project = nn.Conv2d(hidden, outChannels, 1, bias: false);
        projectBn = new BatchNorm(outChannels, trackRunningStats: true);
        HasIdentity = stride == 1 && inChannels == outChannels;
        RegisterComponents();
    }

    /// <summary>Whether the input is added to the projection (stride 1, same width in and out).</summary>
    public bool HasIdentity { get; }

    // In forward order, for the ONNX exporter and the structure tests: (convolution, batch norm, ReLU after it).
    internal IEnumerable<(nn.Module<Tensor, Tensor> Conv, nn.Module<Tensor, Tensor> Bn, bool Relu)> Layers =>
        [(expand, expandBn, true), (depthwise, depthwiseBn, true), (project, projectBn, false)];

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.relu(expandBn.call(expand.call(input)));
        x = nn.functional.relu(depthwiseBn.call(depthwise.call(x)));
        x = projectBn.call(project.call(x));
        return (HasIdentity ? x.add_(input) : x).MoveToOuterDisposeScope();
    }
}
