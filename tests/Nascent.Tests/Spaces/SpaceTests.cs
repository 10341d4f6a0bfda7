using Nascent.Core;
using Nascent.Spaces;

namespace Nascent.Tests.Spaces;

public sealed class SpaceTests
{
    public static TheoryData<string> SpaceNames => new() { "nb201", "enas-micro" };

    [Theory, MemberData(nameof(SpaceNames))]
    public void Sampled_architectures_are_valid_and_their_strings_round_trip(string name)
    {
        var space = SpaceCatalog.Create(name);
        for (ulong seed = 0; seed < 300; seed++)
        {
            var random = new SeededRandom(seed);
            var a = space.Sample(random);
            for (int i = 0; i < a.Choices.Count; i++)
                Assert.True(space.IsAllowed(i, a[i], a.Choices.Take(i).ToArray()), $"seed {seed} decision {i}");
            var text = a.ToString();
            var back = space.Parse(text);
            Assert.Equal(a, back);
            Assert.Equal(text, back.ToString());
            Assert.Equal(a, space.FromTokens(a.ToTokens()));
            Assert.Equal(a.GetHashCode(), back.GetHashCode());
        }
    }

    [Theory, MemberData(nameof(SpaceNames))]
    public void Tokens_are_distinct_per_decision_and_option_and_within_the_vocabulary(string name)
    {
        var space = SpaceCatalog.Create(name);
        var seen = new HashSet<int>();
        for (int d = 0; d < space.Decisions.Count; d++)
            for (int o = 0; o < space.Decisions[d].Count; o++)
                Assert.True(seen.Add(space.TokenOffset(d) + o));
        Assert.Equal(space.VocabularySize, seen.Count);
        Assert.Equal(Enumerable.Range(0, space.VocabularySize), seen.Order());
    }

    [Theory, MemberData(nameof(SpaceNames))]
    public void Mutation_changes_exactly_one_decision_to_a_valid_option(string name)
    {
        var space = SpaceCatalog.Create(name);
        var random = new SeededRandom(7);
        for (int i = 0; i < 300; i++)
        {
            var parent = space.Sample(random);
            var child = space.Mutate(parent, random);
            Assert.Equal(1, parent.Choices.Zip(child.Choices).Count(p => p.First != p.Second));
            Assert.Equal(child, space.Create(child.Choices)); // validates every choice
        }
    }

    [Fact]
    public void Same_seed_samples_the_same_architectures_and_different_seeds_differ()
    {
        var space = new EnasMicroSpace();
        var a = Enumerable.Range(0, 20).Select(_ => 0).Select((_, i) => space.Sample(new SeededRandom(42))).Distinct().ToList();
        Assert.Single(a);
        var r1 = new SeededRandom(1);
        var r2 = new SeededRandom(2);
        Assert.NotEqual(
            Enumerable.Range(0, 5).Select(_ => space.Sample(r1).ToString()),
            Enumerable.Range(0, 5).Select(_ => space.Sample(r2).ToString()));
    }

    [Fact]
    public void The_nb201_space_has_15625_architectures_and_enumerates_them_all_distinct()
    {
        var space = Nb201Space.Instance;
        Assert.Equal(15625, space.Size);
        var all = space.Enumerate().Select(a => a.ToString()).ToHashSet();
        Assert.Equal(15625, all.Count);
    }

    [Fact]
    public void Nb201_string_form_is_the_official_one()
    {
        var a = Nb201Space.Instance.Create([4, 2, 1, 2, 1, 1]); // index 0 of NAS-Bench-201: ops 4-2-1-2-1-1
        Assert.Equal("|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|", a.ToString());
    }

    [Nb201Fact]
    public void Every_row_of_the_nb201_table_parses_and_formats_back_identically()
    {
        var lines = File.ReadLines(Nb201Data.Accuracy).ToList();
        var header = lines[0].Split(',');
        int archColumn = Array.IndexOf(header, "arch"), opsColumn = Array.IndexOf(header, "ops");
        Assert.Equal(15626, lines.Count);
        var distinct = new HashSet<Architecture>();
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            var a = Nb201Space.Instance.Parse(cells[archColumn]);
            Assert.Equal(cells[archColumn], a.ToString());
            Assert.Equal(cells[opsColumn], string.Join("-", a.Choices)); // the table's op ids are our option indices
            distinct.Add(a);
        }
        Assert.Equal(15625, distinct.Count);
    }

    [Theory]
    [InlineData("|nor_conv_3x3~0|+|skip_connect~0|nor_conv_3x3~1|", "node groups")]
    [InlineData("|conv_7x7~0|+|skip_connect~0|nor_conv_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|", "unknown operation 'conv_7x7'")]
    [InlineData("|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|", "input 0 is written as '1'")]
    [InlineData("nonsense", "node groups")]
    public void Nb201_strings_that_do_not_parse_give_a_clear_error(string text, string expected)
    {
        var e = Assert.Throws<NascentException>(() => Nb201Space.Instance.Parse(text));
        Assert.Contains(expected, e.Message);
        Assert.Contains(text, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("normal: (sep_conv_3x3~0 identity~1); reduce: (avg_pool_3x3~0 max_pool_3x3~1)", "has 1 nodes")]
    [InlineData("normal: (sep_conv_3x3~0 identity~5) (sep_conv_3x3~0 identity~1) (sep_conv_3x3~0 identity~1) (sep_conv_3x3~0 identity~1) (sep_conv_3x3~0 identity~1); reduce: (avg_pool_3x3~0 max_pool_3x3~1) (avg_pool_3x3~0 max_pool_3x3~1) (avg_pool_3x3~0 max_pool_3x3~1) (avg_pool_3x3~0 max_pool_3x3~1) (avg_pool_3x3~0 max_pool_3x3~1)", "normal node 2 input b is 5")]
    [InlineData("0 0 1 4", "4 integers, expected 40")]
    public void Enas_strings_that_do_not_parse_give_a_clear_error(string text, string expected)
    {
        var e = Assert.Throws<NascentException>(() => new EnasMicroSpace().Parse(text));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Enas_integer_arcs_parse_into_the_same_architecture_as_the_named_form()
    {
        var space = new EnasMicroSpace(2);
        var arcs = "0 0 1 4 2 1 0 2  1 3 0 0 2 2 1 1";
        var a = space.Parse(arcs);
        Assert.Equal("normal: (sep_conv_3x3~0 identity~1) (sep_conv_5x5~2 avg_pool_3x3~0); reduce: (max_pool_3x3~1 sep_conv_3x3~0) (avg_pool_3x3~2 sep_conv_5x5~1)", a.ToString());
        Assert.Equal(a, space.Parse(a.ToString()));
    }

    [Fact]
    public void Enas_loose_ends_are_what_no_node_uses_cell_inputs_included()
    {
        var space = new EnasMicroSpace(3);
        // node 2 <- (0, 1); node 3 <- (2, 0); node 4 <- (1, 1): node 2 is used by node 3; 3 and 4 are loose.
        // Reduce: node 2 <- (1, 1); node 3 <- (2, 2); node 4 <- (3, 2): input 0 is read by no node, so it is loose too.
        var a = space.Parse("normal: (identity~0 identity~1) (identity~2 identity~0) (identity~1 identity~1); " +
                            "reduce: (identity~1 identity~1) (identity~2 identity~2) (identity~3 identity~2)");
        Assert.Equal([3, 4], space.LooseEnds(a, 0));
        Assert.Equal([0, 4], space.LooseEnds(a, 1));
    }

    [Fact]
    public void Input_options_of_an_enas_node_are_the_cell_inputs_and_earlier_nodes()
    {
        var space = new EnasMicroSpace(5);
        for (int b = 0; b < 5; b++)
        {
            var d = space.Decisions[space.DecisionIndex(0, b)];
            Assert.Equal(DecisionKind.Input, d.Kind);
            Assert.Equal(b + 2, d.Count);
        }
        Assert.Throws<NascentException>(() => space.Create(Enumerable.Repeat(0, space.Decisions.Count).Select((_, i) => i == 0 ? 2 : 0).ToArray()));
    }
}
