namespace Nascent.Nn;

/// <summary>
/// MobileNetV2's inverted residual body: 1 x 1 expansion (BN, ReLU6), k x k depthwise convolution with the block's
/// stride (BN, ReLU6), 1 x 1 linear projection (BN). The residual sum lives in the block that holds the module
/// (<see cref="InstaNasBlock"/>), once for all its modules, so that a block with no module on is the identity.
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
        int hidden = inChannels * expansion;
        expand = nn.Conv2d(inChannels, hidden, 1, bias: false);
        expandBn = new BatchNorm(hidden, trackRunningStats: true);
        depthwise = nn.Conv2d(hidden, hidden, kernel, stride: stride, padding: kernel / 2, groups: hidden, bias: false);
        depthwiseBn = new BatchNorm(hidden, trackRunningStats: true);
        project = nn.Conv2d(hidden, outChannels, 1, bias: false);
        projectBn = new BatchNorm(outChannels, trackRunningStats: true);
        RegisterComponents();
    }

    // In forward order, for the ONNX exporter: (convolution, batch norm, ReLU6 after it).
    internal IEnumerable<(nn.Module<Tensor, Tensor> Conv, nn.Module<Tensor, Tensor> Bn, bool Relu6)> Layers =>
        [(expand, expandBn, true), (depthwise, depthwiseBn, true), (project, projectBn, false)];

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.relu6(expandBn.call(expand.call(input)));
        x = nn.functional.relu6(depthwiseBn.call(depthwise.call(x)));
        return projectBn.call(project.call(x)).MoveToOuterDisposeScope();
    }
}
