namespace Nascent.Nn;

/// <summary>
/// InstaNAS's BasicBlock (AnjieCheng/InstaNAS search/models/base.py:66-90): two full 3 x 3 convolutions, the first with
/// the block's stride, each followed by BN; ReLU after the first, ReLU6 after the second; no residual of its own. It is
/// the fifth module of every meta-graph block and the default where a block changes shape and no module is on
/// (search/models/instanas.py:67, 99); the controller's ResNet is built of it too (search/models/controller.py:198).
/// </summary>
public sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> conv1;
    private readonly nn.Module<Tensor, Tensor> bn1;
    private readonly nn.Module<Tensor, Tensor> conv2;
    private readonly nn.Module<Tensor, Tensor> bn2;

    public BasicBlock(int inChannels, int outChannels, int stride) : base(nameof(BasicBlock))
    {
        conv1 = nn.Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false);
        bn1 = new BatchNorm(outChannels, trackRunningStats: true);
        conv2 = nn.Conv2d(outChannels, outChannels, 3, padding: 1, bias: false);
        bn2 = new BatchNorm(outChannels, trackRunningStats: true);
        RegisterComponents();
    }

    // In forward order, for the ONNX exporter and the structure tests: (convolution, batch norm, ReLU6 rather than ReLU).
    internal IEnumerable<(nn.Module<Tensor, Tensor> Conv, nn.Module<Tensor, Tensor> Bn, bool Relu6)> Layers =>
        [(conv1, bn1, false), (conv2, bn2, true)];

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.relu(bn1.call(conv1.call(input)));
        return nn.functional.relu6(bn2.call(conv2.call(x))).MoveToOuterDisposeScope();
    }
}
