using Nascent.Analysis;
using Nascent.Core;
using Nascent.Spaces;
using Nascent.Tests.Strategies;

namespace Nascent.Tests.Analysis;

public sealed class GraphSimilarityTests
{
    // in -> a -> out
    private static readonly ArchitectureGraph Chain = new(["in", "a", "out"], [(0, 1), (1, 2)]);

    private static ArchitectureGraph Renumbered(ArchitectureGraph g, int[] permutation) =>
        new(Enumerable.Range(0, g.NodeCount).Select(k => g.Labels[Array.IndexOf(permutation, k)]).ToArray(),
            g.Edges.Select(e => (permutation[e.From], permutation[e.To])).ToArray());

    [Theory]
    [InlineData(new[] { "in", "b", "out" }, new[] { 0, 1, 1, 2 }, 1)]              // one label substituted
    [InlineData(new[] { "in", "a", "out" }, new[] { 0, 1, 1, 2, 0, 2 }, 1)]        // one extra edge
    [InlineData(new[] { "in", "a", "out", "c" }, new[] { 0, 1, 1, 2, 1, 3 }, 2)]   // one extra node with its edge
    [InlineData(new[] { "in", "out" }, new[] { 0, 1 }, 3)]                         // node a deleted (2 edges), in->out inserted
    [InlineData(new[] { "in", "a", "out" }, new[] { 0, 1, 1, 2 }, 0)]              // the same graph
    public void Edit_distance_of_hand_graphs(string[] labels, int[] edges, int expected)
    {
        var other = new ArchitectureGraph(labels, Enumerable.Range(0, edges.Length / 2).Select(k => (edges[2 * k], edges[2 * k + 1])).ToArray());
        var forward = GraphEditDistance.Between(Chain, other);
        var backward = GraphEditDistance.Between(other, Chain);
        Assert.Equal(new GraphEditDistance(expected, true), forward);
        Assert.Equal(forward, backward);
        Assert.Equal(expected, GraphEditDistance.UpperBound(Chain, other)); // the bound is tight on these
    }

    [Fact]
    public void Edit_distance_is_zero_to_itself_and_to_a_renumbered_copy_and_is_symmetric()
    {
        var random = new SeededRandom(1);
        for (int k = 0; k < 40; k++)
        {
            var a = Nb201Space.Instance.Sample(random).ToGraph();
            var b = Nb201Space.Instance.Sample(random).ToGraph();
            Assert.Equal(new GraphEditDistance(0, true), GraphEditDistance.Between(a, a));
            Assert.Equal(new GraphEditDistance(0, true), GraphEditDistance.Between(a, Renumbered(a, random.Permutation(a.NodeCount))));
            var ab = GraphEditDistance.Between(a, b);
            Assert.True(ab.IsExact);
            Assert.Equal(ab, GraphEditDistance.Between(b, a));
        }
    }

    [Fact]
    public void Exact_search_matches_brute_force_and_the_bound_never_undercuts_it()
    {
        var random = new SeededRandom(2);
        var space = new TinyCellSpace();
        var graphs = space.Enumerate().Select(a => a.ToGraph()).Append(Chain).Append(new ArchitectureGraph(["in0"], [])).ToList();
        for (int k = 0; k < 150; k++)
        {
            var a = graphs[random.Next(graphs.Count)];
            var b = graphs[random.Next(graphs.Count)];
            var exact = GraphEditDistance.Between(a, b);
            Assert.True(exact.IsExact);
            Assert.Equal(BruteForce(a, b), exact.Value);
            Assert.True(GraphEditDistance.UpperBound(a, b) >= exact.Value);
        }
        var nb = Enumerable.Range(0, 60).Select(_ => Nb201Space.Instance.Sample(random).ToGraph()).ToArray();
        for (int k = 0; k + 1 < nb.Length; k += 2)
        {
            var exact = GraphEditDistance.Between(nb[k], nb[k + 1]);
            int bound = GraphEditDistance.UpperBound(nb[k], nb[k + 1]);
            Assert.True(bound >= exact.Value, $"bound {bound} < exact {exact.Value}");
            // One expansion: the bound stands, called exact only when the root's lower bounds already prove it.
            var starved = GraphEditDistance.Between(nb[k], nb[k + 1], budget: 1);
            Assert.Equal(bound, starved.Value);
            if (bound > exact.Value) Assert.False(starved.IsExact);
        }
    }

    [Fact]
    public void Enas_cells_are_compared_cell_by_cell_with_a_bound()
    {
        var space = new EnasMicroSpace();
        var random = new SeededRandom(3);
        var a = space.Sample(random);
        var b = space.Sample(random);
        Assert.Equal(36, a.ToGraph().NodeCount); // two cells of 18 nodes: beyond the exact search
        Assert.Equal(new GraphEditDistance(0, true), GraphEditDistance.Between(a.ToGraph(), a.ToGraph()));
        var ab = GraphEditDistance.Between(a.ToGraph(), b.ToGraph());
        Assert.False(ab.IsExact);
        Assert.Equal(ab, GraphEditDistance.Between(b.ToGraph(), a.ToGraph()));
        // Changing one operation of the normal cell costs one substitution.
        var c = a.With(2, (a[2] + 1) % EnasMicroSpace.Operations.Count);
        Assert.Equal(1, GraphEditDistance.Between(a.ToGraph(), c.ToGraph()).Value);
    }

    [Fact]
    public void Weisfeiler_lehman_kernel_is_one_for_isomorphic_graphs_and_below_one_otherwise()
    {
        var random = new SeededRandom(4);
        for (int k = 0; k < 30; k++)
        {
            var a = Nb201Space.Instance.Sample(random);
            var b = Nb201Space.Instance.Mutate(a, random);
            var g = a.ToGraph();
            Assert.Equal(1.0, WeisfeilerLehmanKernel.Similarity(g, Renumbered(g, random.Permutation(g.NodeCount))), 12);
            if (GraphEditDistance.Between(g, b.ToGraph()).Value > 0)
                Assert.True(WeisfeilerLehmanKernel.Similarity(g, b.ToGraph()) < 1 - 1e-9);
        }
        // Same labels, different wiring: iteration 0 agrees, later ones do not.
        var fanOut = new ArchitectureGraph(["in", "a", "a"], [(0, 1), (0, 2)]);
        var chain = new ArchitectureGraph(["in", "a", "a"], [(0, 1), (1, 2)]);
        Assert.Equal(1.0, WeisfeilerLehmanKernel.Similarity(fanOut, chain, iterations: 0), 12);
        double k1 = WeisfeilerLehmanKernel.Similarity(fanOut, chain, iterations: 1);
        Assert.InRange(k1, 0.1, 0.99);
        Assert.Equal(k1, WeisfeilerLehmanKernel.Similarity(chain, fanOut, iterations: 1), 12);
    }

    [Fact]
    public void Jaccard_of_labelled_edges_on_hand_cases()
    {
        var other = new ArchitectureGraph(["in", "b", "out"], [(0, 1), (1, 2)]);
        var plus = new ArchitectureGraph(["in", "a", "out"], [(0, 1), (1, 2), (0, 2)]);
        var twoA = new ArchitectureGraph(["in", "a", "a"], [(0, 1), (0, 2)]);
        var oneA = new ArchitectureGraph(["in", "a"], [(0, 1)]);
        Assert.Equal(1.0, EdgeJaccard.Similarity(Chain, Chain));
        Assert.Equal(0.0, EdgeJaccard.Similarity(Chain, other));      // no (label, label) pair in common
        Assert.Equal(2.0 / 3, EdgeJaccard.Similarity(Chain, plus), 12);
        Assert.Equal(0.5, EdgeJaccard.Similarity(twoA, oneA), 12);     // a multiset: two in->a edges against one
        Assert.Equal(1.0, EdgeJaccard.Similarity(new ArchitectureGraph(["x"], []), new ArchitectureGraph(["y"], [])));
    }

    /// <summary>Least edit cost over every partial injective node mapping (small graphs only).</summary>
    private static int BruteForce(ArchitectureGraph a, ArchitectureGraph b)
    {
        var edgesA = a.Edges.ToHashSet();
        var edgesB = b.Edges.ToHashSet();
        var map = new int[a.NodeCount];
        var used = new bool[b.NodeCount];
        int best = int.MaxValue;
        void Walk(int i)
        {
            if (i == a.NodeCount)
            {
                int cost = used.Count(u => !u);
                var pre = Enumerable.Repeat(-1, b.NodeCount).ToArray();
                for (int k = 0; k < map.Length; k++)
                {
                    if (map[k] < 0) cost++;
                    else { pre[map[k]] = k; if (a.Labels[k] != b.Labels[map[k]]) cost++; }
                }
                cost += edgesA.Count(e => map[e.From] < 0 || map[e.To] < 0 || !edgesB.Contains((map[e.From], map[e.To])));
                cost += edgesB.Count(e => pre[e.From] < 0 || pre[e.To] < 0 || !edgesA.Contains((pre[e.From], pre[e.To])));
                best = Math.Min(best, cost);
                return;
            }
            for (int t = -1; t < b.NodeCount; t++)
            {
                if (t >= 0 && used[t]) continue;
                map[i] = t;
                if (t >= 0) used[t] = true;
                Walk(i + 1);
                if (t >= 0) used[t] = false;
            }
        }
        Walk(0);
        return best;
    }
}
