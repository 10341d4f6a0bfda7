namespace Nascent.Nn;

/// <summary>The cheap InstaNAS module: 3 x 3 depthwise convolution with the block's stride, 1 x 1 projection to the
/// block's width, BN; no expansion. It is also a shape-changing block's default when no module is on.</summary>
public sealed class SeparableProjection : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> depthwise;
    private readonly nn.Module<Tensor, Tensor> pointwise;
    private readonly nn.Module<Tensor, Tensor> bn;

    public SeparableProjection(int inChannels, int outChannels, int stride) : base(nameof(SeparableProjection))
    {
        depthwise = nn.Conv2d(inChannels, inChannels, 3, stride: stride, padding: 1, groups: inChannels, bias: false);
        pointwise = nn.Conv2d(inChannels, outChannels, 1, bias: false);
        bn = new BatchNorm(outChannels, trackRunningStats: true);
        RegisterComponents();
    }

    internal nn.Module<Tensor, Tensor> Depthwise => depthwise;
    internal nn.Module<Tensor, Tensor> Pointwise => pointwise;
    internal nn.Module<Tensor, Tensor> Bn => bn;

    public override Tensor forward(Tensor input)
    {
        using var spatial = depthwise.call(input);
        using var mixed = pointwise.call(spatial);
        return bn.call(mixed);
    }
}
