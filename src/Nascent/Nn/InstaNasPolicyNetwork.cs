namespace Nascent.Nn;

/// <summary>
/// The InstaNAS controller's network, of Policy32's shape (AnjieCheng/InstaNAS search/models/controller.py:192-210,
/// built as controller.Policy32([1, 1, 1], ...) in search/utils.py:200): a small ResNet (controller.py:80-117) of a
/// 3 x 3 stem (BN, ReLU) and three stages of one <see cref="BasicBlock"/> each, widths w, 2w, 4w (w = 16 officially)
/// and strides 1, 2, 2, each added to its shortcut and passed through ReLU (controller.py:73); the shortcut is the
/// input, or where the shape changes InstaNAS's DownsampleB: average pooling by the stride and zero channels
/// appended (base.py:123-132). Then global average pooling (controller.py:89, AvgPool2d(8) on the 8 x 8 map of a
/// CIFAR image) and a linear layer of one sigmoid per (block, module), as a [N, blocks, modules] tensor
/// (controller.py:207-210). <c>downsample</c> 2 averages 2 x 2 pixels first, as Policy224 does (controller.py:236);
/// Policy32 does not (1, the default).
/// </summary>
public sealed class InstaNasPolicyNetwork : nn.Module<Tensor, Tensor>
{
    /// <summary>Policy32's stage count, one BasicBlock each (layer_config [1, 1, 1], search/utils.py:200).</summary>
    public const int Stages = 3;
    public const int DefaultWidth = 16; // controller.py:85-92

    private readonly nn.Module<Tensor, Tensor> stem;
    private readonly nn.Module<Tensor, Tensor> stemBn;
    private readonly ModuleList<BasicBlock> blocks = new();
    private readonly nn.Module<Tensor, Tensor> logits;
    private readonly int[] strides = [1, 2, 2];
    private readonly int[] widths;

    public InstaNasPolicyNetwork(int inputChannels, int blocks, int modulesPerBlock, int width = DefaultWidth, int downsample = 1)
        : base(nameof(InstaNasPolicyNetwork))
    {
        if (width < 1 || downsample < 1) throw new ArgumentOutOfRangeException(nameof(width), "The controller needs width >= 1 and downsample >= 1.");
        Blocks = blocks;
        ModulesPerBlock = modulesPerBlock;
        Downsample = downsample;
        widths = [width, 2 * width, 4 * width];
        stem = nn.Conv2d(inputChannels, width, 3, padding: 1, bias: false);
        stemBn = new BatchNorm(width, trackRunningStats: true);
        int channels = width;
        for (int s = 0; s < Stages; s++)
        {
            this.blocks.Add(new BasicBlock(channels, widths[s], strides[s]));
            channels = widths[s];
        }
        logits = nn.Linear(channels, blocks * modulesPerBlock);
        RegisterComponents();
    }

    public int Blocks { get; }
    public int ModulesPerBlock { get; }
    public int Downsample { get; }

    /// <summary>The BasicBlocks of the three stages, for the structure tests.</summary>
    public IReadOnlyList<BasicBlock> StageBlocks => blocks.ToArray();

    /// <summary>Whether the controller runs with channels-last strides (<see cref="MemoryLayout"/>), as the
    /// meta-graph may (<see cref="InstaNasNetwork.ChannelsLast"/>).</summary>
    public bool ChannelsLast { get; set; }

    /// <summary>The probability of each module being on, [N, blocks, modules].</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = ChannelsLast && input.dim() == 4 ? MemoryLayout.ToChannelsLast(input) : input;
        x = Downsample > 1 ? nn.functional.avg_pool2d(x, Downsample, ceil_mode: true) : x;
        x = nn.functional.relu(stemBn.call(stem.call(x)));
        for (int s = 0; s < Stages; s++) x = nn.functional.relu(Shortcut(x, s).add(blocks[s].call(x)));
        x = nn.functional.adaptive_avg_pool2d(x, 1).flatten(1);
        return sigmoid(logits.call(x)).view(-1, Blocks, ModulesPerBlock).MoveToOuterDisposeScope();
    }

    /// <summary>DownsampleB (base.py:123-132) where stage <paramref name="s"/> changes the shape, the input otherwise.
    /// ceil_mode keeps an odd map (7 x 7 of a 28 x 28 image) the size of the strided convolution's output.</summary>
    private Tensor Shortcut(Tensor x, int s)
    {
        int inChannels = (int)x.shape[1];
        if (strides[s] == 1 && inChannels == widths[s]) return x;
        var pooled = strides[s] > 1 ? nn.functional.avg_pool2d(x, strides[s], ceil_mode: true) : x;
        return widths[s] == inChannels ? pooled
            : cat([pooled, MemoryLayout.Zeros([pooled.shape[0], widths[s] - inChannels, pooled.shape[2], pooled.shape[3]], pooled)], 1);
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
