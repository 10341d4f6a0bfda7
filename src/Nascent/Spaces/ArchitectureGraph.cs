namespace Nascent.Spaces;

/// <summary>
/// A labelled DAG view of an architecture for graph metrics: nodes carry labels (an operation, "input", "add",
/// "output"...), edges are (from, to) pairs with from &lt; to, nodes in topological order.
/// </summary>
public sealed record ArchitectureGraph(IReadOnlyList<string> Labels, IReadOnlyList<(int From, int To)> Edges)
{
    public int NodeCount => Labels.Count;

    /// <summary>Edges as "fromLabel-&gt;toLabel" strings with their positions, for Jaccard-style comparisons.</summary>
    public IEnumerable<string> LabelledEdges() => Edges.Select(e => $"{e.From}:{Labels[e.From]}->{e.To}:{Labels[e.To]}");
}
