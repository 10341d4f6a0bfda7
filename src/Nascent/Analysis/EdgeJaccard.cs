namespace Nascent.Analysis;

/// <summary>
/// Jaccard similarity of two graphs' labelled edges. An edge is the pair (label of its source, label of its
/// target), and a graph's edges form a multiset: |A ∩ B| / |A ∪ B| with the multiset minimum and maximum of counts.
/// Node positions are left out on purpose: the node numbering of a graph view shifts with choices elsewhere (a
/// NAS-Bench-201 "none" edge removes a node), and the other two metrics do not see numbering either.
/// Two graphs without edges have similarity 1.
/// </summary>
public static class EdgeJaccard
{
    public static double Similarity(ArchitectureGraph a, ArchitectureGraph b) => Similarity(Edges(a), Edges(b));

    /// <summary>The multiset of (source label, target label) pairs, as counts.</summary>
    public static IReadOnlyDictionary<(string From, string To), int> Edges(ArchitectureGraph graph)
    {
        var counts = new Dictionary<(string, string), int>();
        foreach (var (from, to) in graph.Edges)
        {
            var key = (graph.Labels[from], graph.Labels[to]);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return counts;
    }

    public static double Similarity(IReadOnlyDictionary<(string From, string To), int> a, IReadOnlyDictionary<(string From, string To), int> b)
    {
        long intersection = 0, union = 0;
        foreach (var (key, count) in a)
        {
            int other = b.GetValueOrDefault(key);
            intersection += Math.Min(count, other);
            union += Math.Max(count, other);
        }
        foreach (var (key, count) in b)
            if (!a.ContainsKey(key)) union += count;
        return union == 0 ? 1.0 : (double)intersection / union;
    }
}
