namespace Nascent.Nn;

/// <summary>Halves the resolution without losing every other pixel: ReLU, two stride-2 1 x 1 convolutions on the
/// input and on the input shifted by one pixel, concatenated, batch norm (ENAS, DARTS).</summary>
public sealed class FactorizedReduce : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> convEven;
    private readonly nn.Module<Tensor, Tensor> convOdd;
    private readonly nn.Module<Tensor, Tensor> bn;

    public FactorizedReduce(int inChannels, int outChannels, bool trackRunningStats) : base(nameof(FactorizedReduce))
    {
        convEven = nn.Conv2d(inChannels, outChannels / 2, 1, stride: 2, bias: false);
        convOdd = nn.Conv2d(inChannels, outChannels - outChannels / 2, 1, stride: 2, bias: false);
        bn = new BatchNorm(outChannels, trackRunningStats);
        RegisterComponents();
    }

    internal nn.Module<Tensor, Tensor> ConvEven => convEven;
    internal nn.Module<Tensor, Tensor> ConvOdd => convOdd;
    internal nn.Module<Tensor, Tensor> Bn => bn;

    public override Tensor forward(Tensor input)
    {
        using var activated = nn.functional.relu(input);
        using var even = convEven.call(activated);
        // Shift by one pixel (pad right/bottom), so the second path sees the pixels the first skips.
        using var shifted = nn.functional.pad(activated[.., .., 1.., 1..], [0, 1, 0, 1]);
        using var odd = convOdd.call(shifted);
        using var both = cat([even, odd], 1);
        return bn.call(both);
    }
}
