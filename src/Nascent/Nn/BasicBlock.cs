namespace Nascent.Nn;

/// <summary>
/// InstaNAS's BasicBlock (AnjieCheng/InstaNAS search/models/base.py:66-90): two full 3 x 3 convolutions, the first with
/// the block's stride, each followed by BN; ReLU after the first, ReLU6 after the second; no residual of its own. It is
/// the fifth module of every meta-graph block and the default where a block changes shape and no module is on
/// (search/models/instanas.py:67, 99); the controller's ResNet is built of it too (search/models/controller.py:198).
/// </summary>
public sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    private readonly ConvBnActivation conv1;
    private readonly ConvBnActivation conv2;

    public BasicBlock(int inChannels, int outChannels, int stride) : base(nameof(BasicBlock))
    {
        conv1 = new ConvBnActivation(inChannels, outChannels, 3, stride, Activation.Relu);
        conv2 = new ConvBnActivation(outChannels, outChannels, 3, 1, Activation.Relu6);
        RegisterComponents();
    }

    /// <summary>The layers in forward order (the ONNX exporter walks them).</summary>
    internal IReadOnlyList<ConvBnActivation> Layers => [conv1, conv2];

    public override Tensor forward(Tensor input)
    {
        using var x = conv1.call(input);
        return conv2.call(x);
    }
}
