using Nascent.Core;
using Nascent.Nn;
using Nascent.Spaces;
using TorchSharp;
using static TorchSharp.torch;

namespace Nascent.Tests.Nn;

public sealed class InstaNasNetworkTests
{
    private static InstaNasNetwork Create(int channels, string stages = MetaGraphOptions.DefaultStages) =>
        new(new MetaGraphOptions(channels, 10, 8, stages));

    [Theory]
    [InlineData(1, 28)] // MNIST-sized
    [InlineData(3, 32)] // CIFAR-sized
    public void Any_selection_including_the_empty_one_runs_and_gives_one_logit_per_class(int channels, int size)
    {
        manual_seed(1);
        using var network = Create(channels);
        network.eval();
        var space = network.Space;
        var random = new SeededRandom(3);
        var selections = new List<Architecture> { space.Empty, space.Full };
        for (int i = 0; i < 6; i++) selections.Add(space.Sample(random));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var images = randn(4, channels, size, size);
        foreach (var selection in selections)
        {
            var logits = network.Forward(images, selection);
            Assert.Equal(new long[] { 4, 10 }, logits.shape);
            Assert.False(logits.isnan().any().item<bool>(), $"NaN under {selection}");
        }
    }

    [Fact]
    public void The_per_image_masked_forward_equals_each_image_run_alone_under_its_own_selection()
    {
        manual_seed(2);
        using var network = Create(1);
        network.eval();
        var random = new SeededRandom(5);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var images = randn(6, 1, 28, 28);
        var selections = Enumerable.Range(0, 6).Select(i => i == 0 ? network.Space.Empty : network.Space.Sample(random)).ToArray();
        var masks = stack(selections.Select(s => tensor(s.Choices.Select(c => (float)c).ToArray()).view(network.Blocks.Count, InstaNasSpace.Modules.Count)), 0);
        var batched = network.ForwardMasked(images, masks);
        for (int i = 0; i < selections.Length; i++)
        {
            var alone = network.Forward(images.narrow(0, i, 1), selections[i]);
            Assert.True(alone.allclose(batched.narrow(0, i, 1), rtol: 1e-4, atol: 1e-5), $"image {i} under {selections[i]}");
        }
    }

    [Fact]
    public void A_block_with_no_module_on_passes_its_input_through_or_runs_its_default_where_the_shape_changes()
    {
        using var network = Create(1, "8x1s1,16x1s2");
        Assert.True(network.Blocks[0].KeepsShape);
        Assert.False(network.Blocks[1].KeepsShape);
        var none = new bool[InstaNasSpace.Modules.Count];
        Assert.All(Enumerable.Range(0, none.Length), m => Assert.False(network.Blocks[0].Effective(none, m)));
        Assert.True(network.Blocks[1].Effective(none, InstaNasSpace.DefaultModule));
        Assert.Equal(1, Enumerable.Range(0, none.Length).Count(m => network.Blocks[1].Effective(none, m)));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        network.eval();
        var x = randn(2, 8, 28, 28);
        Assert.True(network.Blocks[0].Forward(x, none).eq(x).all().item<bool>());
    }

    [Fact]
    public void Selections_print_and_parse_back_and_a_bad_string_says_what_is_wrong()
    {
        var space = new InstaNasSpace(3);
        var random = new SeededRandom(7);
        for (int i = 0; i < 20; i++)
        {
            var selection = space.Sample(random);
            Assert.Equal(selection, space.Parse(selection.ToString()));
        }
        Assert.Equal("ir3e6+sep3|-|ir5e3", space.Parse("ir3e6+sep3|-|ir5e3").ToString());
        Assert.Contains("2 blocks, expected 3", Assert.Throws<NascentException>(() => space.Parse("ir3e3|-")).Message);
        Assert.Contains("unknown module 'conv7'", Assert.Throws<NascentException>(() => space.Parse("conv7|-|-")).Message);
        // input; ir3e3 and its sum; a pass-through node; sep3 and the output
        Assert.Equal(6, space.ToGraph(space.Parse("ir3e3|-|sep3")).NodeCount);
    }

    [Fact]
    public void Stages_that_do_not_parse_give_the_expected_form()
    {
        var options = new MetaGraphOptions(1, 10, 8, "16x2");
        Assert.Contains("WIDTHxBLOCKSsSTRIDE", Assert.Throws<NascentException>(() => options.Validate()).Message);
        Assert.Contains("stride 1 or 2", Assert.Throws<NascentException>(() => new MetaGraphOptions(1, 10, 8, "16x2s3").Validate()).Message);
    }
}
