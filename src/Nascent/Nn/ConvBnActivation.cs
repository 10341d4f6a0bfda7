namespace Nascent.Nn;

/// <summary>What follows a <see cref="ConvBnActivation"/>'s batch norm.</summary>
public enum Activation { None, Relu, Relu6 }

/// <summary>Convolution (no bias), batch norm with running statistics, then an activation: the layer InstaNAS's
/// modules are made of (AnjieCheng/InstaNAS search/models/base.py:43-48 and 71-74).</summary>
public sealed class ConvBnActivation : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> conv;
    private readonly nn.Module<Tensor, Tensor> bn;

    public ConvBnActivation(int inChannels, int outChannels, int kernel, int stride, Activation activation, int groups = 1)
        : base(nameof(ConvBnActivation))
    {
        conv = nn.Conv2d(inChannels, outChannels, kernel, stride: stride, padding: kernel / 2, groups: groups, bias: false);
        bn = new BatchNorm(outChannels, trackRunningStats: true);
        Activation = activation;
        RegisterComponents();
    }

    public Activation Activation { get; }

    // For the ONNX exporter (Export/Onnx).
    internal nn.Module<Tensor, Tensor> Conv => conv;
    internal nn.Module<Tensor, Tensor> Bn => bn;

    public override Tensor forward(Tensor input)
    {
        using var convolved = conv.call(input);
        var normalised = bn.call(convolved);
        if (Activation == Activation.None) return normalised;
        using (normalised) return Activation == Activation.Relu ? nn.functional.relu(normalised) : nn.functional.relu6(normalised);
    }
}
