namespace Nascent.Nn;

/// <summary>ReLU, depthwise k x k convolution, pointwise 1 x 1 convolution, batch norm (ENAS's sep_conv, applied once).</summary>
public sealed class SeparableConv : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> depthwise;
    private readonly nn.Module<Tensor, Tensor> pointwise;
    private readonly nn.Module<Tensor, Tensor> bn;

    public SeparableConv(int channels, int kernel, bool trackRunningStats) : base(nameof(SeparableConv))
    {
        depthwise = nn.Conv2d(channels, channels, kernel, padding: kernel / 2, groups: channels, bias: false);
        pointwise = nn.Conv2d(channels, channels, 1, bias: false);
        bn = new BatchNorm(channels, trackRunningStats);
        RegisterComponents();
    }

    internal nn.Module<Tensor, Tensor> Depthwise => depthwise;
    internal nn.Module<Tensor, Tensor> Pointwise => pointwise;
    internal nn.Module<Tensor, Tensor> Bn => bn;

    public override Tensor forward(Tensor input)
    {
        using var activated = nn.functional.relu(input);
        using var spatial = depthwise.call(activated);
        using var mixed = pointwise.call(spatial);
        return bn.call(mixed);
    }
}
