namespace Nascent.Nn;

/// <summary>
/// One block of the InstaNAS meta-graph: the candidate modules of <see cref="InstaNasSpace.Modules"/>, all from the
/// same input to the same output shape. The modules that are on run and their outputs are summed (AnjieCheng/InstaNAS
/// search/models/instanas.py:51-55); the block adds nothing of its own: each inverted residual carries its own identity
/// where the shape is kept, so k of them on add k·x. With none on, a shape-keeping block is the identity
/// (instanas.py:62) and a shape-changing block runs its default, the BasicBlock (<see cref="Effective"/>,
/// instanas.py:67 and 99).
/// </summary>
public sealed class InstaNasBlock : nn.Module<Tensor, Tensor>
{
    private static readonly Scalar One = 1.0; // static: never finalized during a native call (see BatchNorm)
    private readonly ModuleList<nn.Module<Tensor, Tensor>> candidates = new();

    public InstaNasBlock(int inChannels, int outChannels, int stride) : base(nameof(InstaNasBlock))
    {
        foreach (var name in InstaNasSpace.Modules)
        {
            candidates.Add(name switch
            {
                InstaNasSpace.BasicModuleName => new BasicBlock(inChannels, outChannels, stride),
                _ => new InvertedResidual(inChannels, outChannels, kernel: name[2] - '0', expansion: name[4] - '0', stride),
            });
        }
        KeepsShape = stride == 1 && inChannels == outChannels;
        InChannels = inChannels;
        OutChannels = outChannels;
        Stride = stride;
        RegisterComponents();
    }

    public int InChannels { get; }
    public int OutChannels { get; }
    public int Stride { get; }

    /// <summary>Whether a block with no module on passes its input through (stride 1, same width in and out).</summary>
    public bool KeepsShape { get; }

    public nn.Module<Tensor, Tensor> this[int module] => candidates[module];

    /// <summary>Whether module <paramref name="module"/> runs under the selection <paramref name="on"/>: the modules
    /// on, or the default one when none is on and the block changes shape.</summary>
    public bool Effective(bool[] on, int module) =>
        on[module] || (module == InstaNasSpace.DefaultModule && !KeepsShape && !on.Any(o => o));

    /// <summary>All modules on.</summary>
    public override Tensor forward(Tensor input) => Forward(input, Enumerable.Repeat(true, candidates.Count).ToArray());

    /// <summary>The block under one selection for the whole batch; only the modules that run are computed.</summary>
    public Tensor Forward(Tensor input, bool[] on)
    {
        using var scope = NewDisposeScope();
        return Flow(input, on, (module, x) => module.call(x), (sum, y) => sum.add_(y), x => x.alias()).MoveToOuterDisposeScope();
    }

    /// <summary>The block's data flow under one selection, once for every reader: the modules that run
    /// (<see cref="Effective"/>) on the input, summed (<paramref name="accumulate"/> may add in place), or the input
    /// itself when none runs. <see cref="Forward(Tensor, bool[])"/> runs it on tensors, the ONNX exporter on graph
    /// values.</summary>
    internal T Flow<T>(T input, bool[] on, Func<nn.Module<Tensor, Tensor>, T, T> apply, Func<T, T, T> accumulate, Func<T, T> alias)
        where T : class
    {
        T? sum = null;
        for (int m = 0; m < candidates.Count; m++)
        {
            if (!Effective(on, m)) continue;
            var y = apply(candidates[m], input);
            sum = sum is null ? y : accumulate(sum, y);
        }
        return sum ?? PassThrough(input, alias);
    }

    /// <summary>The block under a selection per image: <paramref name="mask"/> is [N, modules] of 0/1 floats,
    /// already effective (<see cref="EffectiveMask"/>). Each module runs on the images that select it only (gathered,
    /// then added back in place), so a sparse policy costs what it selects; an image with no module on keeps its input
    /// (instanas.py:62). In eval mode this is exactly each image run alone, and in training a module's batch norm sees
    /// the images that use it.</summary>
    public Tensor ForwardMasked(Tensor input, Tensor mask)
    {
        using var scope = NewDisposeScope();
        long count = input.shape[0];
        Tensor? sum = null;
        for (int m = 0; m < candidates.Count; m++)
        {
            var users = mask.select(1, m).nonzero().flatten();
            long used = users.shape[0];
            if (used == 0) continue;
            if (used == count)
            {
                var y = candidates[m].call(input);
                sum = sum is null ? y : sum.add_(y);
                continue;
            }
            var part = candidates[m].call(MemoryLayout.Like(input.index_select(0, users), input));
            sum ??= MemoryLayout.Zeros([count, .. part.shape[1..]], part);
            sum = sum.index_add(0, users, part, One);
        }
        if (sum is null) return PassThrough(input, x => x.alias()).MoveToOuterDisposeScope();
        if (KeepsShape)
        {
            // The images with no module on pass their input through (an effective mask never has such a row elsewhere).
            var idle = mask.sum(1).eq(0).nonzero().flatten();
            if (idle.shape[0] > 0) sum = sum.index_add(0, idle, input.index_select(0, idle), One);
        }
        return sum.MoveToOuterDisposeScope();
    }

    /// <summary>A per-image mask [N, modules] with the default module switched on for the images that select none in a
    /// shape-changing block: the modules that really run, image by image.</summary>
    public Tensor EffectiveMask(Tensor mask)
    {
        if (KeepsShape) return mask.alias();
        using var scope = NewDisposeScope();
        var none = mask.sum(1).eq(0).to_type(mask.dtype);
        var effective = mask.clone();
        effective.select(1, InstaNasSpace.DefaultModule).add_(none); // none = 1 only where every column is 0
        return effective.MoveToOuterDisposeScope();
    }

    /// <summary>The input, where no module runs: only possible where the block keeps the shape.</summary>
    private T PassThrough<T>(T input, Func<T, T> alias) where T : class =>
        KeepsShape ? alias(input) : throw new InvalidOperationException("A shape-changing block always runs a module.");
}
