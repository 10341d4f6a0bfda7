using System.Security.Cryptography;

namespace Nascent.Analysis;

/// <summary>
/// The Weisfeiler-Lehman subtree kernel (Shervashidze et al. 2011) for labelled DAGs, normalised to
/// k(G, H) / sqrt(k(G, G) k(H, H)), so that a graph has similarity 1 with itself and with every graph isomorphic to it.
/// Iteration 0 counts the node labels; each later iteration relabels every node by its label with the sorted labels of
/// its predecessors and, apart, of its successors (edge direction matters in a cell), and counts the new labels. The
/// kernel is the dot product of the count vectors over iterations 0..h. Only labels and multisets enter, so it does not
/// depend on how nodes are numbered.
/// </summary>
public static class WeisfeilerLehmanKernel
{
    public const int DefaultIterations = 3;

    /// <summary>The feature counts of a graph: key "iteration:label" (labels after iteration 0 are hashes).</summary>
    public static IReadOnlyDictionary<string, int> Features(ArchitectureGraph graph, int iterations = DefaultIterations)
    {
        if (iterations < 0) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, "Iterations must not be negative.");
        int n = graph.NodeCount;
        var predecessors = Enumerable.Range(0, n).Select(_ => new List<int>()).ToArray();
        var successors = Enumerable.Range(0, n).Select(_ => new List<int>()).ToArray();
        foreach (var (from, to) in graph.Edges)
        {
            successors[from].Add(to);
            predecessors[to].Add(from);
        }
        var features = new Dictionary<string, int>();
        var labels = graph.Labels.ToArray();
        for (int h = 0; ; h++)
        {
            foreach (var label in labels)
            {
                string key = $"{h}:{label}";
                features[key] = features.GetValueOrDefault(key) + 1;
            }
            if (h == iterations) return features;
            var current = labels;
            labels = Enumerable.Range(0, n).Select(v => Compress(current[v]
                + "\u001e" + string.Join("\u001f", predecessors[v].Select(p => current[p]).Order(StringComparer.Ordinal))
                + "\u001e" + string.Join("\u001f", successors[v].Select(s => current[s]).Order(StringComparer.Ordinal)))).ToArray();
        }
    }

    public static double Similarity(ArchitectureGraph a, ArchitectureGraph b, int iterations = DefaultIterations) =>
        Similarity(Features(a, iterations), Features(b, iterations));

    /// <summary>Normalised kernel of two feature sets from <see cref="Features"/> (same iterations); 1 for two empty graphs.</summary>
    public static double Similarity(IReadOnlyDictionary<string, int> a, IReadOnlyDictionary<string, int> b)
    {
        double ab = Dot(a, b), aa = Dot(a, a), bb = Dot(b, b);
        if (aa == 0 && bb == 0) return 1;
        if (aa == 0 || bb == 0) return 0;
        return Math.Min(1.0, ab / Math.Sqrt(aa * bb));
    }

    private static double Dot(IReadOnlyDictionary<string, int> a, IReadOnlyDictionary<string, int> b)
    {
        if (a.Count > b.Count) (a, b) = (b, a);
        double sum = 0;
        foreach (var (key, count) in a) sum += (double)count * b.GetValueOrDefault(key);
        return sum;
    }

    /// <summary>A short, collision-safe name for a signature; the same signature gets the same name in every graph.</summary>
    private static string Compress(string signature) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(signature)), 0, 12);
}
