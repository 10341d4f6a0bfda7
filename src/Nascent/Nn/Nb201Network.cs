namespace Nascent.Nn;

/// <summary>
/// The NAS-Bench-201 macro skeleton: 3 x 3 conv stem with batch norm; three stages of <c>Cells</c> cells at C, 2C,
/// 4C channels with a residual reduction block between stages; batch norm, ReLU, global average pooling, linear.
/// </summary>
public sealed class Nb201Network : CellNetwork
{
    private readonly nn.Module<Tensor, Tensor> stem;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> layers;
    private readonly nn.Module<Tensor, Tensor> lastBn;
    private readonly nn.Module<Tensor, Tensor> classifier;

    public Nb201Network(NetworkOptions options, Architecture? fixedArchitecture = null)
        : base(nameof(Nb201Network), Nb201Space.Instance, options, fixedArchitecture)
    {
        bool track = options.TrackRunningStats;
        int c = options.Channels;
        stem = nn.Sequential(
            ("conv", nn.Conv2d(options.InputChannels, c, 3, padding: 1, bias: false)),
            ("bn", new BatchNorm(c, track)));
        IReadOnlyList<IReadOnlyList<int>> edgeOptions = fixedArchitecture is null
            ? Nb201Space.Edges.Select(_ => (IReadOnlyList<int>)Enumerable.Range(0, Nb201Space.Operations.Count).ToArray()).ToArray()
            : fixedArchitecture.Choices.Select(op => (IReadOnlyList<int>)new[] { op }).ToArray();
        layers = new ModuleList<nn.Module<Tensor, Tensor>>();
        for (int stage = 0; stage < 3; stage++)
        {
            if (stage > 0)
            {
                layers.Add(new ResidualReduction(c, c * 2, track));
                c *= 2;
            }
            for (int i = 0; i < options.Cells; i++)
                layers.Add(new Nb201Cell(c, edgeOptions, track, affine: fixedArchitecture is not null, fixedArchitecture?.Choices));
        }
        lastBn = new BatchNorm(c, track);
        classifier = nn.Linear(c, options.Classes);
        RegisterComponents();
    }

    /// <summary>The conv stem (batch norm included): the first part of every forward pass.</summary>
    public nn.Module<Tensor, Tensor> Stem => stem;

    /// <summary>The stages in forward order: <see cref="Nb201Cell"/>s, with a <see cref="ResidualReduction"/>
    /// between stages.</summary>
    public IReadOnlyList<nn.Module<Tensor, Tensor>> Layers => layers.ToList();

    internal nn.Module<Tensor, Tensor> LastBn => lastBn;
    internal nn.Module<Tensor, Tensor> Classifier => classifier;

    /// <summary>The classifier head on the last stage's output: batch norm, ReLU, global average pooling, linear.
    /// <paramref name="x"/> is left to the caller.</summary>
    public Tensor Head(Tensor x)
    {
        using var normalised = lastBn.call(x);
        using var activated = nn.functional.relu(normalised);
        using var pooled = nn.functional.adaptive_avg_pool2d(activated, 1);
        using var flat = pooled.flatten(1);
        return classifier.call(flat);
    }

    protected override Tensor ForwardPath(Tensor input, Architecture architecture) =>
        Run(input, (cell, x) => cell.Forward(x, architecture.Choices));

    public override bool SupportsMixedForward => true;

    protected override Tensor ForwardMixedPath(Tensor input, IReadOnlyList<Tensor> decisionWeights) =>
        Run(input, (cell, x) => cell.ForwardMixed(x, decisionWeights));

    private Tensor Run(Tensor input, Func<Nb201Cell, Tensor, Tensor> runCell)
    {
        var x = stem.call(input);
        foreach (var layer in layers)
        {
            var next = layer is Nb201Cell cell ? runCell(cell, x) : layer.call(x);
            x.Dispose();
            x = next;
        }
        using (x)
            return Head(x);
    }
}
