namespace Nascent.Nn;

/// <summary>
/// The InstaNAS meta-graph: a 3 x 3 stem (BN, ReLU: AnjieCheng/InstaNAS search/models/instanas.py:25), the blocks of <see cref="MetaGraphOptions.Stages"/> (each an
/// <see cref="InstaNasBlock"/> of every candidate module), global average pooling and a linear classifier.
/// <see cref="Forward(Tensor, bool[,])"/> runs one selection for the whole batch, computing only the modules that run
/// (inference, latency, a fixed architecture); <see cref="ForwardMasked"/> runs a selection per image (training the
/// meta-graph on random selections, and the controller's rewards).
/// </summary>
public sealed class InstaNasNetwork : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> stem;
    private readonly nn.Module<Tensor, Tensor> stemBn;
    private readonly ModuleList<InstaNasBlock> blocks = new();
    private readonly nn.Module<Tensor, Tensor> classifier;

    public InstaNasNetwork(MetaGraphOptions options) : base(nameof(InstaNasNetwork))
    {
        options.Validate();
        Options = options;
        stem = nn.Conv2d(options.InputChannels, options.StemChannels, 3, padding: 1, bias: false);
        stemBn = new BatchNorm(options.StemChannels, trackRunningStats: true);
        int channels = options.StemChannels;
        foreach (var stage in options.ParseStages())
        {
            for (int b = 0; b < stage.Blocks; b++)
            {
                blocks.Add(new InstaNasBlock(channels, stage.Channels, b == 0 ? stage.Stride : 1));
                channels = stage.Channels;
            }
        }
        classifier = nn.Linear(channels, options.Classes);
        Space = new InstaNasSpace(blocks.Count);
        RegisterComponents();
    }

    public MetaGraphOptions Options { get; }

    /// <summary>The selections of this meta-graph, one on/off decision per (block, module).</summary>
    public InstaNasSpace Space { get; }

    public IReadOnlyList<InstaNasBlock> Blocks => blocks.ToArray();

    // For the ONNX exporter (Export/Onnx), which walks the same structure.
    internal nn.Module<Tensor, Tensor> StemConv => stem;
    internal nn.Module<Tensor, Tensor> StemBn => stemBn;
    internal nn.Module<Tensor, Tensor> Classifier => classifier;

    /// <summary>Whether the meta-graph runs with channels-last strides (<see cref="MemoryLayout"/>): the input is
    /// copied into them once, at the stem. Off until `bench instanas` has timed it against the contiguous layout
    /// here (issue 22, item 2).</summary>
    public bool ChannelsLast { get; set; }

    /// <summary>The stem (convolution, BN, ReLU).</summary>
    public Tensor Stem(Tensor input)
    {
        using var laidOut = ChannelsLast && input.dim() == 4 ? MemoryLayout.ToChannelsLast(input) : input.alias();
        using var convolved = stem.call(laidOut);
        using var normalised = stemBn.call(convolved);
        return nn.functional.relu(normalised);
    }

    /// <summary>Global average pooling and the classifier.</summary>
    public Tensor Head(Tensor features)
    {
        using var pooled = nn.functional.adaptive_avg_pool2d(features, 1);
        using var flat = pooled.flatten(1);
        return classifier.call(flat);
    }

    /// <summary>The full meta-graph: every module of every block on.</summary>
    public override Tensor forward(Tensor input) => Forward(input, Space.Full);

    public Tensor Forward(Tensor input, Architecture selection) => Forward(input, ToMatrix(selection));

    /// <summary>One selection [block, module] for the whole batch; only the modules that run are computed.</summary>
    public Tensor Forward(Tensor input, bool[,] selection)
    {
        using var scope = NewDisposeScope();
        var x = Stem(input);
        var on = new bool[InstaNasSpace.Modules.Count];
        for (int b = 0; b < blocks.Count; b++)
        {
            for (int m = 0; m < on.Length; m++) on[m] = selection[b, m];
            x = blocks[b].Forward(x, on);
        }
        return Head(x).MoveToOuterDisposeScope();
    }

    /// <summary>A selection per image: <paramref name="masks"/> is [N, blocks, modules] of 0/1 floats (a policy).</summary>
    public Tensor ForwardMasked(Tensor input, Tensor masks)
    {
        using var scope = NewDisposeScope();
        var effective = EffectiveMasks(masks);
        var x = Stem(input);
        for (int b = 0; b < blocks.Count; b++) x = blocks[b].ForwardMasked(x, effective.select(1, b));
        return Head(x).MoveToOuterDisposeScope();
    }

    /// <summary>Batch-norm recalibration: forgets every running statistic and re-estimates them (training mode, no
    /// gradients, no weight changes) on <paramref name="batches"/> of images under their per-image policies, so that
    /// evaluation normalises with the statistics of the selections it will serve rather than of those it was trained
    /// on. The statistics become the plain average over the batches (a module's over the images that run it).</summary>
    public void RecalibrateBatchNorm(IEnumerable<(Tensor Images, Tensor Policies)> batches)
    {
        var norms = modules().OfType<BatchNorm>().ToArray();
        foreach (var norm in norms) norm.BeginReestimation();
        bool wasTraining = training;
        train();
        using (no_grad())
        {
            foreach (var (images, policies) in batches)
            {
                using var scope = NewDisposeScope();
                ForwardMasked(images, policies);
            }
        }
        foreach (var norm in norms) norm.EndReestimation();
        train(wasTraining);
    }

    /// <summary>The modules that really run, image by image: each shape-changing block's default module switched on
    /// where an image selects none there.</summary>
    public Tensor EffectiveMasks(Tensor masks)
    {
        if (masks.dim() != 3 || masks.shape[1] != blocks.Count || masks.shape[2] != InstaNasSpace.Modules.Count)
            throw new ArgumentException($"A policy is [N, {blocks.Count}, {InstaNasSpace.Modules.Count}], not [{string.Join(", ", masks.shape)}].");
        using var scope = NewDisposeScope();
        var perBlock = Enumerable.Range(0, blocks.Count).Select(b => blocks[b].EffectiveMask(masks.select(1, b))).ToArray();
        return stack(perBlock, 1).MoveToOuterDisposeScope();
    }

    /// <summary>The on/off matrix [block, module] of one image's policy ([blocks, modules] or [1, blocks, modules]).</summary>
    public bool[,] ToMatrix(Tensor policy)
    {
        var values = policy.cpu().data<float>().ToArray();
        int modules = InstaNasSpace.Modules.Count;
        if (values.Length != blocks.Count * modules)
            throw new ArgumentException($"One image's policy has {blocks.Count * modules} entries, not {values.Length}.");
        var matrix = new bool[blocks.Count, modules];
        for (int k = 0; k < values.Length; k++) matrix[k / modules, k % modules] = values[k] >= 0.5f;
        return matrix;
    }

    /// <summary>The on/off matrix [block, module] of a selection.</summary>
    public bool[,] ToMatrix(Architecture selection)
    {
        if (!ReferenceEquals(selection.Space, Space) && selection.Space.Decisions.Count != Space.Decisions.Count)
            throw new ArgumentException($"The selection {selection} is not of this meta-graph ({blocks.Count} blocks).");
        var matrix = new bool[blocks.Count, InstaNasSpace.Modules.Count];
        for (int b = 0; b < blocks.Count; b++)
            for (int m = 0; m < InstaNasSpace.Modules.Count; m++)
                matrix[b, m] = InstaNasSpace.IsOn(selection, b, m);
        return matrix;
    }
}
