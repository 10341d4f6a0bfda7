namespace Nascent.Costs;

/// <summary>
/// <see cref="ModelCost"/> of every NAS-Bench-201 architecture at one network size, from 25 built networks instead
/// of one per architecture. A NAS-Bench-201 network is a fixed skeleton (stem, reductions, classifier) plus, in every
/// cell, one module per edge whose operation is not none; each such module sees the same input shape whatever the
/// other edges hold (a node that receives only none is a zero tensor of the cell's shape). So an architecture's cost
/// is the skeleton's plus one term per edge. The skeleton is measured as the all-none network, each term as the
/// network with that one edge set, minus the skeleton.
/// </summary>
public sealed class Nb201CostTable
{
    private readonly ModelCost _skeleton;
    private readonly ModelCost[,] _edgeTerms;

    public Nb201CostTable(NetworkOptions options, int inputHeight, int inputWidth)
    {
        var space = Nb201Space.Instance;
        int edges = Nb201Space.Edges.Count, operations = Nb201Space.Operations.Count;
        var allNone = new int[edges];
        _skeleton = ModelCost.Of(space.Create(allNone), options, inputHeight, inputWidth);
        _edgeTerms = new ModelCost[edges, operations];
        for (int edge = 0; edge < edges; edge++)
        {
            _edgeTerms[edge, 0] = ModelCost.Zero;
            for (int op = 1; op < operations; op++)
            {
                var single = space.Create(allNone).With(edge, op);
                _edgeTerms[edge, op] = ModelCost.Of(single, options, inputHeight, inputWidth) - _skeleton;
            }
        }
        Options = options;
    }

    public NetworkOptions Options { get; }

    public ModelCost Of(Architecture architecture)
    {
        if (architecture.Space is not Nb201Space)
            throw new ArgumentException($"A NAS-Bench-201 cost table was asked for an architecture of space {architecture.Space.Name}.", nameof(architecture));
        var cost = _skeleton;
        for (int edge = 0; edge < Nb201Space.Edges.Count; edge++) cost += _edgeTerms[edge, architecture[edge]];
        return cost;
    }
}
