namespace Nascent.Nn;

/// <summary>3 x 3 pooling, stride 1, padding 1; average pooling does not count the padding (as NAS-Bench-201).</summary>
public sealed class Pool3x3 : nn.Module<Tensor, Tensor>
{
    private readonly bool _max;

    public Pool3x3(bool max) : base(max ? "MaxPool3x3" : "AvgPool3x3") => _max = max;

    internal bool IsMax => _max;

    public override Tensor forward(Tensor input) => _max
        ? nn.functional.max_pool2d(input, 3, stride: 1, padding: 1)
        : nn.functional.avg_pool2d(input, 3, stride: 1, padding: 1, count_include_pad: false);
}
