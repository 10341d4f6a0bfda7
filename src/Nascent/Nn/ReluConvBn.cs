namespace Nascent.Nn;

/// <summary>ReLU, convolution (no bias), batch norm: NAS-Bench-201's nor_conv and the calibration layers.</summary>
public sealed class ReluConvBn : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> conv;
    private readonly nn.Module<Tensor, Tensor> bn;

    public ReluConvBn(int inChannels, int outChannels, int kernel, int stride, bool trackRunningStats, bool affine = true)
        : base(nameof(ReluConvBn))
    {
        conv = nn.Conv2d(inChannels, outChannels, kernel, stride: stride, padding: kernel / 2, bias: false);
        bn = new BatchNorm(outChannels, trackRunningStats, affine);
        RegisterComponents();
    }

    internal nn.Module<Tensor, Tensor> Conv => conv;
    internal nn.Module<Tensor, Tensor> Bn => bn;

    public override Tensor forward(Tensor input)
    {
        using var activated = nn.functional.relu(input);
        using var convolved = conv.call(activated);
        return bn.call(convolved);
    }
}
