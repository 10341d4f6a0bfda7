namespace Nascent.Nn;

/// <summary>
/// A NAS-Bench-201 cell: node j sums an operation applied to every earlier node; node 3 is the output. Each edge
/// holds its candidate operations in a dictionary keyed by operation name ("none" needs no module).
/// </summary>
public sealed class Nb201Cell : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<ModuleDict<nn.Module<Tensor, Tensor>>> edges;
    private readonly IReadOnlyList<int>? _fixedChoices;

    /// <param name="edgeOptions">For each edge, the operation indices this cell holds.</param>
    /// <param name="affine">Whether the operations' batch norms have affine parameters: not in a search cell, as
    /// NAS-Bench-201's (AutoDL-Projects xautodl/models/cell_searchs/search_cells.py:21, <c>affine=False</c>, which every
    /// NAS-Bench-201 search passes on: exps/NAS-Bench-201-algos/DARTS-V1.py:172, ENAS.py:302, RANDOM-NAS.py:173) and
    /// DARTS's (cnn/model_search.py:16, <c>OPS[primitive](C, stride, False)</c>); a standalone cell keeps them.</param>
    public Nb201Cell(int channels, IReadOnlyList<IReadOnlyList<int>> edgeOptions, bool trackRunningStats, bool affine,
        IReadOnlyList<int>? fixedChoices = null) : base(nameof(Nb201Cell))
    {
        edges = new ModuleList<ModuleDict<nn.Module<Tensor, Tensor>>>();
        foreach (var options in edgeOptions)
        {
            var dict = new ModuleDict<nn.Module<Tensor, Tensor>>();
            foreach (var op in options)
                if (op != 0) dict.Add(Nb201Space.Operations[op], CreateOperation(op, channels, trackRunningStats, affine));
            edges.Add(dict);
        }
        _fixedChoices = fixedChoices;
        RegisterComponents();
    }

    private static nn.Module<Tensor, Tensor> CreateOperation(int op, int channels, bool track, bool affine) => op switch
    {
        1 => new Identity(),
        2 => new ReluConvBn(channels, channels, 1, 1, track, affine),
        3 => new ReluConvBn(channels, channels, 3, 1, track, affine),
        4 => new Pool3x3(max: false),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    public Tensor Forward(Tensor input, IReadOnlyList<int> choices) =>
        Flow(input, choices, x => zeros_like(x), (k, source) => edges[k][Nb201Space.Operations[choices[k]]].call(source), (a, b) => a + b);

    /// <summary>
    /// The cell's data flow, once for every reader: node j sums the operations on its in-edges (none adds nothing); a
    /// node that received only none is zero (<paramref name="zeroLike"/> of the input), and the official cell still
    /// applies operations to it; an output that received nothing is zero. <see cref="Forward"/> runs it on tensors,
    /// <see cref="ExtraWork"/> counts its zeros and additions, and the ONNX exporter writes it as nodes.
    /// </summary>
    /// <param name="edge">The operation of edge k (its choice is not none) applied to its source.</param>
    internal static T Flow<T>(T input, IReadOnlyList<int> choices, Func<T, T> zeroLike, Func<int, T, T> edge, Func<T, T, T> add)
        where T : class
    {
        var nodes = new T?[Nb201Space.NodeCount];
        nodes[0] = input;
        for (int k = 0; k < Nb201Space.Edges.Count; k++)
        {
            var (to, from) = Nb201Space.Edges[k];
            if (choices[k] == 0) continue; // "none" adds nothing
            var source = nodes[from] ??= zeroLike(input);
            var result = edge(k, source);
            nodes[to] = nodes[to] is null ? result : add(nodes[to]!, result);
        }
        return nodes[Nb201Space.NodeCount - 1] ?? zeroLike(input);
    }

    /// <summary>The module of operation <paramref name="op"/> (not none) on edge <paramref name="edge"/>.</summary>
    public nn.Module<Tensor, Tensor> Operation(int edge, int op) => edges[edge][Nb201Space.Operations[op]];

    /// <summary>
    /// The tensor work <see cref="Forward"/> does besides the operations: zero tensors it creates (a node that
    /// received only none and still feeds an operation, or an output that received nothing) and additions (every
    /// operation into a node that already holds a value), counted on <see cref="Flow"/>; the latency table
    /// (Costs/LatencyTable) prices these.
    /// </summary>
    public static (int Zeros, int Additions) ExtraWork(IReadOnlyList<int> choices)
    {
        int zeros = 0, additions = 0;
        var value = new object();
        Flow(value, choices, _ => { zeros++; return value; }, (_, _) => value, (_, _) => { additions++; return value; });
        return (zeros, additions);
    }

    /// <summary>DARTS's mixed operation on every edge: Σ_o w_o · op_o(node), with w = <paramref name="edgeWeights"/>[edge]
    /// over the 5 operations; "none" contributes w_none · 0. The same operation modules as <see cref="Forward"/>.</summary>
    public Tensor ForwardMixed(Tensor input, IReadOnlyList<Tensor> edgeWeights)
    {
        var nodes = new Tensor?[Nb201Space.NodeCount];
        nodes[0] = input;
        for (int k = 0; k < Nb201Space.Edges.Count; k++)
        {
            var (to, from) = Nb201Space.Edges[k];
            var source = nodes[from] ??= zeros_like(input);
            for (int op = 1; op < Nb201Space.Operations.Count; op++)
            {
                var result = edges[k][Nb201Space.Operations[op]].call(source) * edgeWeights[k][op];
                nodes[to] = nodes[to] is null ? result : nodes[to]! + result;
            }
        }
        return nodes[Nb201Space.NodeCount - 1] ?? zeros_like(input);
    }

    public override Tensor forward(Tensor input) =>
        Forward(input, _fixedChoices ?? throw new InvalidOperationException("A supernet cell needs choices."));
}
