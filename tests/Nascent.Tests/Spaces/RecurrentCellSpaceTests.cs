using Nascent.Core;
using Nascent.Nn;
using Nascent.Spaces;
using Nascent.Strategies;
using static TorchSharp.torch;

namespace Nascent.Tests.Spaces;

public sealed class RecurrentCellSpaceTests
{
    private static readonly RecurrentCellSpace EnasCell = new(RecurrentCellFamily.Enas);
    private static readonly RecurrentCellSpace NaoCell = new(RecurrentCellFamily.Nao);

    [Fact]
    public void Decisions_follow_the_enas_controllers_order_and_nao_has_no_choice_for_s0()
    {
        Assert.Equal(1 + 2 * 7, EnasCell.Decisions.Count);
        Assert.Equal("node 0 activation", EnasCell.Decisions[0].Name);
        Assert.Equal(["node 1 input", "node 1 activation", "node 2 input"], EnasCell.Decisions.Skip(1).Take(3).Select(d => d.Name));
        Assert.Equal(2, EnasCell.Decisions[3].Count); // node 2 reads node 0 or node 1
        Assert.Equal(2 * 8, NaoCell.Decisions.Count);
        Assert.Equal("node 1 input", NaoCell.Decisions[0].Name);
        Assert.Single(NaoCell.Decisions[0].Options); // node 1 can only read s0
        Assert.Equal(Math.Pow(4, 8) * Enumerable.Range(1, 7).Aggregate(1.0, (a, i) => a * i), EnasCell.Size);
    }

    [Fact]
    public void Every_sampled_cell_is_valid_round_trips_and_builds()
    {
        var random = new SeededRandom(5);
        foreach (var space in new[] { EnasCell, NaoCell, new RecurrentCellSpace(RecurrentCellFamily.Enas, 3) })
        {
            var options = new LanguageModelOptions(20, 8);
            for (int i = 0; i < 40; i++)
            {
                var a = space.Sample(random);
                Assert.Equal(a, space.Parse(a.ToString()));
                Assert.NotEmpty(space.OutputNodes(a));
                using var model = new CellLanguageModel(space, options, new SeededRandom(1), a);
                using var scope = NewDisposeScope();
                var (logits, hidden) = model.Forward(zeros(5, 3, dtype: int64), model.InitialHidden(3));
                Assert.Equal([15L, 20L], logits.shape);
                Assert.Equal([3L, 8L], hidden.shape);
            }
        }
    }

    [Fact]
    public void The_enas_controller_samples_valid_recurrent_cells()
    {
        using var enas = new Enas(EnasCell, 3);
        for (int i = 0; i < 30; i++)
        {
            var a = enas.Ask();
            Assert.Equal(a, EnasCell.Create(a.Choices));
        }
    }

    [Theory]
    [InlineData("tanh relu~0 relu~0 relu~1", new[] { 2, 3 })]   // nodes 0 and 1 are read; 2 and 3 are loose ends
    [InlineData("tanh relu~0 relu~1 relu~2", new[] { 3 })]      // a chain: only the last is loose
    [InlineData("sigmoid identity~0 tanh~0 relu~0", new[] { 1, 2, 3 })]
    public void The_enas_output_averages_the_loose_ends(string cell, int[] expected)
    {
        var space = new RecurrentCellSpace(RecurrentCellFamily.Enas, 4);
        Assert.Equal(expected, space.OutputNodes(space.Parse(cell)));
    }

    [Fact]
    public void The_nao_output_averages_every_intermediate_node()
    {
        var space = new RecurrentCellSpace(RecurrentCellFamily.Nao, 3);
        Assert.Equal([1, 2, 3], space.OutputNodes(space.Parse("relu~0 relu~1 relu~2")));
    }

    [Fact]
    public void Enas_integer_arcs_parse_with_activation_indices_in_enas_order()
    {
        var space = new RecurrentCellSpace(RecurrentCellFamily.Enas, 3);
        // f0 p1 f1 p2 f2: tanh; node 1 reads 0 with relu; node 2 reads 0 with sigmoid (ENAS: 0 tanh 1 relu 2 identity 3 sigmoid)
        Assert.Equal("tanh relu~0 sigmoid~0", space.Parse("0 0 1 0 3").ToString());
    }

    [Theory]
    [InlineData("tanh relu~0", "2 nodes")]
    [InlineData("tanh relu~0 swish~1 relu~2 relu~3 relu~4 relu~5 relu~6", "unknown activation 'swish'")]
    [InlineData("tanh relu~0 relu~5 relu~2 relu~3 relu~4 relu~5 relu~6", "node 2 input is 5")]
    [InlineData("tanh~0 relu~0 relu~1 relu~2 relu~3 relu~4 relu~5 relu~6", "node 0 reads x and h")]
    [InlineData("tanh relu relu~1 relu~2 relu~3 relu~4 relu~5 relu~6", "node 1 needs an input")]
    public void Bad_strings_give_one_clear_error(string text, string expected)
    {
        var e = Assert.Throws<NascentException>(() => EnasCell.Parse(text));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void The_graph_links_x_and_h_to_node_0_and_the_loose_ends_to_the_average()
    {
        var space = new RecurrentCellSpace(RecurrentCellFamily.Enas, 3);
        var graph = space.Parse("tanh relu~0 sigmoid~0").ToGraph();
        Assert.Equal(["x", "h_prev", "tanh", "relu", "sigmoid", "avg"], graph.Labels);
        Assert.Equal([(0, 2), (1, 2), (2, 3), (2, 4), (3, 5), (4, 5)], graph.Edges.OrderBy(e => e.From).ThenBy(e => e.To));
    }
}
