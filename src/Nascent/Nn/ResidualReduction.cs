namespace Nascent.Nn;

/// <summary>NAS-Bench-201's reduction block: ReLU-conv3x3(stride 2)-BN, ReLU-conv3x3-BN, plus a shortcut of
/// 2 x 2 average pooling and a 1 x 1 convolution without bias.</summary>
public sealed class ResidualReduction : nn.Module<Tensor, Tensor>
{
    private readonly ReluConvBn first;
    private readonly ReluConvBn second;
    private readonly nn.Module<Tensor, Tensor> shortcut;

    public ResidualReduction(int inChannels, int outChannels, bool trackRunningStats) : base(nameof(ResidualReduction))
    {
        first = new ReluConvBn(inChannels, outChannels, 3, 2, trackRunningStats);
        second = new ReluConvBn(outChannels, outChannels, 3, 1, trackRunningStats);
        shortcut = nn.Sequential(
            ("pool", nn.AvgPool2d(2, stride: 2)),
            ("conv", nn.Conv2d(inChannels, outChannels, 1, bias: false)));
        RegisterComponents();
    }

    internal ReluConvBn First => first;
    internal ReluConvBn Second => second;
    internal nn.Module<Tensor, Tensor> Shortcut => shortcut;

    public override Tensor forward(Tensor input)
    {
        using var a = first.call(input);
        using var b = second.call(a);
        using var s = shortcut.call(input);
        return b + s;
    }
}
