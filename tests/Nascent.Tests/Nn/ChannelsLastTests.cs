using Nascent.Core;
using Nascent.Nn;
using Nascent.Spaces;
using TorchSharp;
using static TorchSharp.torch;

namespace Nascent.Tests.Nn;

/// <summary>Channels-last strides change how libtorch computes, not what. Small random networks with batch norm over
/// a batch of 5 are ill-conditioned (an input scaled by 1 + 1e-7 moved the ENAS micro stem's gradient by 3 %), so the
/// layouts are held to that yardstick: the layout may change outputs and gradients no more than such a nudge of the
/// input does (times 10), and outputs agree closely.</summary>
public sealed class ChannelsLastTests
{
    [Theory]
    [InlineData("nb201", 1)]
    [InlineData("nb201", 3)]
    [InlineData("enas-micro", 1)]
    [InlineData("enas-micro", 3)]
    public void The_channels_last_layout_changes_outputs_and_gradients_no_more_than_rounding_does(string spaceName, int inputChannels)
    {
        var space = SpaceCatalog.Create(spaceName, 3);
        var random = new SeededRandom(7);
        manual_seed(3);
        using var supernet = NetworkFactory.CreateSupernet(space, new NetworkOptions(inputChannels, 10, 8, 1));
        using var scope = NewDisposeScope();
        var x = randn(5, inputChannels, 16, 16);
        var nudged = x * (1 + 1e-7);
        for (int n = 0; n < 3; n++)
        {
            var architecture = space.Sample(random);
            var (plain, plainGrads) = Run(supernet, false, architecture, x);
            var (fast, fastGrads) = Run(supernet, true, architecture, x);
            var (_, nudgedGrads) = Run(supernet, false, architecture, nudged);
            Assert.True(fast.allclose(plain, rtol: 1e-4, atol: 1e-5), $"{architecture}: max difference {(fast - plain).abs().max().item<float>():E2}");
            AssertWithinRounding(architecture.ToString(), plainGrads, fastGrads, nudgedGrads);
        }
    }

    [Fact]
    public void The_mixed_forward_of_darts_agrees_in_both_layouts()
    {
        var space = Nb201Space.Instance;
        manual_seed(4);
        using var supernet = NetworkFactory.CreateSupernet(space, new NetworkOptions(1, 10, 8, 1));
        using var scope = NewDisposeScope();
        var x = randn(4, 1, 16, 16);
        var weights = space.Decisions.Select(d => softmax(randn(d.Count), 0)).ToList();
        supernet.ChannelsLast = true;
        var fast = supernet.ForwardMixed(x, weights).detach();
        supernet.ChannelsLast = false;
        var plain = supernet.ForwardMixed(x, weights).detach();
        Assert.True(fast.allclose(plain, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void The_instanas_meta_graph_and_its_controller_agree_in_both_layouts()
    {
        manual_seed(5);
        using var network = new InstaNasNetwork(new MetaGraphOptions(1, 10, 8, "8x1s1,12x1s2,12x1s1"));
        using var controller = new InstaNasPolicyNetwork(1, network.Blocks.Count, InstaNasSpace.Modules.Count, width: 4);
        using var scope = NewDisposeScope();
        var x = randn(6, 1, 12, 12);
        var nudged = x * (1 + 1e-7);
        var policies = bernoulli(full([6, network.Blocks.Count, InstaNasSpace.Modules.Count], 0.4));
        var selection = network.ToMatrix(network.Space.MobileNetV2);
        Tensor Masked(bool channelsLast, Tensor input) { network.ChannelsLast = channelsLast; return network.ForwardMasked(input, policies); }
        Tensor Fixed(bool channelsLast, Tensor input) { network.ChannelsLast = channelsLast; return network.Forward(input, selection); }
        Tensor Policy(bool channelsLast, Tensor input) { controller.ChannelsLast = channelsLast; return controller.call(input); }
        foreach (var (name, forward, module) in new (string, Func<bool, Tensor, Tensor>, nn.Module)[]
                 { ("masked", Masked, network), ("fixed", Fixed, network), ("controller", Policy, controller) })
        {
            var (plain, plainGrads) = RunModule(module, () => forward(false, x));
            var (fast, fastGrads) = RunModule(module, () => forward(true, x));
            var (_, nudgedGrads) = RunModule(module, () => forward(false, nudged));
            Assert.True(fast.allclose(plain, rtol: 1e-4, atol: 1e-5), $"{name}: max difference {(fast - plain).abs().max().item<float>():E2}");
            Assert.Equal(plainGrads.Count, fastGrads.Count);
            AssertWithinRounding(name, plainGrads, fastGrads, nudgedGrads);
        }
    }

    /// <summary>The layout may move each gradient no more than ten times what a 1e-7 nudge of the input moves it.</summary>
    private static void AssertWithinRounding(string name, List<Tensor> plain, List<Tensor> fast, List<Tensor> nudged)
    {
        for (int g = 0; g < plain.Count; g++)
        {
            double layout = (fast[g] - plain[g]).abs().max().item<float>();
            double rounding = (nudged[g] - plain[g]).abs().max().item<float>();
            double scale = plain[g].abs().max().item<float>();
            Assert.True(layout <= 10 * rounding + 1e-5 * scale + 1e-6,
                $"{name}: gradient {g} moved {layout:E2} by the layout, {rounding:E2} by a 1e-7 nudge of the input (max {scale:E2})");
        }
    }

    private static (Tensor Output, List<Tensor> Gradients) RunModule(nn.Module module, Func<Tensor> forward)
    {
        module.train();
        module.zero_grad();
        var output = forward();
        output.square().sum().backward();
        var gradients = module.parameters().Where(p => p.grad is not null).Select(p => p.grad!.clone()).ToList();
        return (output.detach(), gradients);
    }

    private static (Tensor Output, List<Tensor> Gradients) Run(CellNetwork network, bool channelsLast, Architecture architecture, Tensor x)
    {
        network.ChannelsLast = channelsLast;
        network.train();
        network.zero_grad();
        var output = network.Forward(x, architecture);
        output.square().sum().backward();
        var gradients = network.parameters().Where(p => p.grad is not null).Select(p => p.grad!.clone()).ToList();
        return (output.detach(), gradients);
    }
}
