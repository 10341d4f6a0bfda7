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
        Assert.Equal("ir3e6+basic|-|ir5e3", space.Parse("ir3e6+basic|-|ir5e3").ToString());
        Assert.Contains("2 blocks, expected 3", Assert.Throws<NascentException>(() => space.Parse("ir3e3|-")).Message);
        Assert.Contains("unknown module 'conv7'", Assert.Throws<NascentException>(() => space.Parse("conv7|-|-")).Message);
        // input; ir3e3 and its sum; a pass-through node; basic and the output
        Assert.Equal(6, space.ToGraph(space.Parse("ir3e3|-|basic")).NodeCount);
    }

    [Fact]
    public void Stages_that_do_not_parse_give_the_expected_form()
    {
        var options = new MetaGraphOptions(1, 10, 8, "16x2");
        Assert.Contains("WIDTHxBLOCKSsSTRIDE", Assert.Throws<NascentException>(() => options.Validate()).Message);
        Assert.Contains("stride 1 or 2", Assert.Throws<NascentException>(() => new MetaGraphOptions(1, 10, 8, "16x2s3").Validate()).Message);
    }

    private static Dictionary<string, long[]> Shapes(TorchSharp.torch.nn.Module module) =>
        module.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);

    [Fact]
    public void The_BasicBlock_module_is_two_full_3x3_convolutions_and_the_inverted_residuals_expand_3_or_6_times()
    {
        using var block = new InstaNasBlock(8, 12, stride: 2);
        Assert.Equal(new[] { "ir3e3", "ir3e6", "ir5e3", "ir5e6", "basic" }, InstaNasSpace.Modules);
        var basic = Shapes(block[InstaNasSpace.DefaultModule]);
        Assert.IsType<BasicBlock>(block[InstaNasSpace.DefaultModule]);
        Assert.Equal(new long[] { 12, 8, 3, 3 }, basic["conv1.conv.weight"]); // groups 1: every input channel
        Assert.Equal(new long[] { 12, 12, 3, 3 }, basic["conv2.conv.weight"]);
        Assert.Equal(2, basic.Keys.Count(k => k.EndsWith("conv.weight")));
        foreach (var (module, kernel, expansion) in new[] { (0, 3, 3), (1, 3, 6), (2, 5, 3), (3, 5, 6) })
        {
            var ir = Shapes(block[module]);
            Assert.Equal(new long[] { 8 * expansion, 8, 1, 1 }, ir["expand.conv.weight"]);
            Assert.Equal(new long[] { 8 * expansion, 1, kernel, kernel }, ir["depthwise.conv.weight"]);
            Assert.Equal(new long[] { 12, 8 * expansion, 1, 1 }, ir["project.conv.weight"]);
        }
        Assert.Equal(InstaNasSpace.MobileNetV2Module, InstaNasSpace.Modules.ToList().IndexOf("ir3e6"));
    }

    /// <summary>With every inverted residual's projection BN set to zero (eval mode), a module's body outputs 0, so
    /// by hand: each inverted residual on gives exactly its input x, and k of them k·x (the identity is the module's,
    /// as in InstaNAS's base.py:62-63); in a shape-changing block they add nothing.</summary>
    [Fact]
    public void In_a_shape_keeping_block_k_inverted_residuals_on_give_k_times_the_input()
    {
        manual_seed(8);
        using var network = Create(1, "8x1s1,12x1s2");
        using (no_grad())
            foreach (var (name, parameter) in network.named_parameters().Where(p => p.name.Contains("project.bn")))
                parameter.zero_();
        network.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = rand(2, 8, 5, 5).add(0.1);
        var keeps = network.Blocks[0];
        Assert.True(keeps.KeepsShape);
        for (int k = 1; k <= 4; k++)
        {
            var on = Enumerable.Range(0, InstaNasSpace.Modules.Count).Select(m => m < k).ToArray();
            Assert.True(keeps.Forward(x, on).allclose(x.mul(k), rtol: 0, atol: 1e-6), $"{k} inverted residuals on");
            var masked = keeps.ForwardMasked(x, tensor(on.Select(o => o ? 1f : 0f).ToArray()).view(1, -1).expand(2, -1));
            Assert.True(masked.allclose(x.mul(k), rtol: 0, atol: 1e-6), $"{k} inverted residuals on, per image");
        }
        // The BasicBlock carries no identity: ir3e3 + basic = x + basic(x).
        var withBasic = keeps.Forward(x, [true, false, false, false, true]);
        Assert.True(withBasic.allclose(x.add(keeps[InstaNasSpace.DefaultModule].call(x)), rtol: 0, atol: 1e-6));
        // Per image: one image with two modules on, one with none (its input passes through).
        var mixed = keeps.ForwardMasked(x, tensor(new float[] { 1, 1, 0, 0, 0, 0, 0, 0, 0, 0 }).view(2, 5));
        Assert.True(mixed.narrow(0, 0, 1).allclose(x.narrow(0, 0, 1).mul(2), rtol: 0, atol: 1e-6));
        Assert.True(mixed.narrow(0, 1, 1).eq(x.narrow(0, 1, 1)).all().item<bool>());
        // Where the shape changes an inverted residual has no identity: its zeroed body gives 0.
        var y = randn(2, 8, 6, 6);
        Assert.Equal(0.0, network.Blocks[1].Forward(y, [true, true, false, false, false]).abs().max().item<float>(), 6);
    }

    [Theory]
    [InlineData(1, 28, 1)]
    [InlineData(3, 32, 1)]
    [InlineData(1, 28, 2)]
    public void The_controller_is_Policy32_shaped_and_gives_one_probability_per_block_and_module(int channels, int size, int downsample)
    {
        manual_seed(9);
        using var controller = new InstaNasPolicyNetwork(channels, blocks: 6, modulesPerBlock: 5, downsample: downsample);
        // Policy32 (controller.py:192-201, utils.py:200): a stem and three BasicBlocks of 16, 32, 64 channels.
        Assert.Equal(InstaNasPolicyNetwork.Stages, controller.StageBlocks.Count);
        var widths = controller.StageBlocks.Select(b => Shapes(b)["conv2.conv.weight"][0]).ToArray();
        Assert.Equal(new long[] { 16, 32, 64 }, widths);
        Assert.Equal(new long[] { 16, channels, 3, 3 }, Shapes(controller)["stem.weight"]);
        Assert.Equal(new long[] { 30, 64 }, Shapes(controller)["logits.weight"]);
        controller.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var p = controller.call(randn(3, channels, size, size));
        Assert.Equal(new long[] { 3, 6, 5 }, p.shape);
        Assert.True(p.gt(0).all().item<bool>() && p.lt(1).all().item<bool>());
    }
}
