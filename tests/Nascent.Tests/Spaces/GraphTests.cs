using Nascent.Spaces;

namespace Nascent.Tests.Spaces;

public sealed class GraphTests
{
    [Fact]
    public void Nb201_graph_has_a_node_per_operation_and_edges_in_topological_order()
    {
        var a = Nb201Space.Instance.Parse("|nor_conv_3x3~0|+|none~0|skip_connect~1|+|avg_pool_3x3~0|none~1|nor_conv_1x1~2|");
        var g = a.ToGraph();
        // input, conv3 (edge 0->1), add(1), skip (1->2), add(2), avg (0->3), conv1 (2->3), output
        Assert.Equal(["input", "nor_conv_3x3", "add", "skip_connect", "add", "avg_pool_3x3", "nor_conv_1x1", "output"], g.Labels);
        Assert.All(g.Edges, e => Assert.True(e.From < e.To));
        Assert.Equal(8, g.Edges.Count);
    }

    [Fact]
    public void Enas_graph_connects_loose_ends_to_the_cell_output()
    {
        var space = new EnasMicroSpace(2);
        var a = space.Parse("normal: (sep_conv_3x3~0 identity~1) (sep_conv_5x5~2 avg_pool_3x3~0); reduce: (max_pool_3x3~1 sep_conv_3x3~0) (avg_pool_3x3~1 sep_conv_5x5~1)");
        var g = a.ToGraph();
        int normalConcat = g.Labels.ToList().IndexOf("normal:concat");
        int reduceConcat = g.Labels.ToList().IndexOf("reduce:concat");
        Assert.Equal(1, g.Edges.Count(e => e.To == normalConcat)); // only node 3 is loose in the normal cell
        Assert.Equal(2, g.Edges.Count(e => e.To == reduceConcat)); // both nodes are loose in the reduction cell
        Assert.All(g.Edges, e => Assert.True(e.From < e.To));
    }
}
