namespace Nascent.Nn;

/// <summary>
/// The InstaNAS controller's network: a small CNN on the input image, downsampled 2x first when it is at least
/// 16 pixels wide (InstaNAS looks at a downsampled image too, so the controller costs little next to the
/// meta-graph): two 3 x 3 convolutions (BN, ReLU; the second with stride 2), global average pooling, and a linear
/// layer giving one Bernoulli probability per (block, module), as a [N, blocks, modules] tensor.
/// </summary>
public sealed class InstaNasPolicyNetwork : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> conv1;
    private readonly nn.Module<Tensor, Tensor> bn1;
    private readonly nn.Module<Tensor, Tensor> conv2;
    private readonly nn.Module<Tensor, Tensor> bn2;
    private readonly nn.Module<Tensor, Tensor> logits;

    public InstaNasPolicyNetwork(int inputChannels, int blocks, int modulesPerBlock, int width = 16)
        : base(nameof(InstaNasPolicyNetwork))
    {
        Blocks = blocks;
        ModulesPerBlock = modulesPerBlock;
        conv1 = nn.Conv2d(inputChannels, width / 2, 3, padding: 1, bias: false);
        bn1 = new BatchNorm(width / 2, trackRunningStats: true);
        conv2 = nn.Conv2d(width / 2, width, 3, stride: 2, padding: 1, bias: false);
        bn2 = new BatchNorm(width, trackRunningStats: true);
        logits = nn.Linear(width, blocks * modulesPerBlock);
        RegisterComponents();
    }

    public int Blocks { get; }
    public int ModulesPerBlock { get; }

    /// <summary>The probability of each module being on, [N, blocks, modules].</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.shape[3] >= 16 ? nn.functional.avg_pool2d(input, 2) : input;
        x = nn.functional.relu(bn1.call(conv1.call(x)));
        x = nn.functional.relu(bn2.call(conv2.call(x)));
        x = nn.functional.adaptive_avg_pool2d(x, 1).flatten(1);
        return sigmoid(logits.call(x)).view(-1, Blocks, ModulesPerBlock).MoveToOuterDisposeScope();
    }

    /// <summary>The policy at inference: a module is on where its probability is at least 0.5; [N, blocks, modules]
    /// of 0/1 floats, computed in eval mode without gradients.</summary>
    public Tensor Thresholded(Tensor images)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        eval();
        return call(images).ge(0.5).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }
}
