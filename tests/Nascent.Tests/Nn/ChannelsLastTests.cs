using Nascent.Core;
using Nascent.Nn;
using Nascent.Spaces;
using static TorchSharp.torch;

namespace Nascent.Tests.Nn;

/// <summary>Channels-last strides change how libtorch computes, not what: outputs and gradients agree with the
/// contiguous layout to float rounding, for supernets (path and mixed forward) and standalone networks.</summary>
public sealed class ChannelsLastTests
{
    [Theory]
    [InlineData("nb201", 1)]
    [InlineData("nb201", 3)]
    [InlineData("enas-micro", 3)] // one channel: the stem's gradient differs by about 3 % (CellNetwork.ChannelsLast)
    public void The_channels_last_layout_gives_the_outputs_and_gradients_of_the_contiguous_one(string spaceName, int inputChannels)
    {
        var space = SpaceCatalog.Create(spaceName, 3);
        var random = new SeededRandom(7);
        manual_seed(3);
        using var supernet = NetworkFactory.CreateSupernet(space, new NetworkOptions(inputChannels, 10, 8, 1));
        using var scope = NewDisposeScope();
        var x = randn(5, inputChannels, 16, 16);
        for (int n = 0; n < 3; n++)
        {
            var architecture = space.Sample(random);
            var (fast, fastGrads) = Run(supernet, true, architecture, x);
            var (plain, plainGrads) = Run(supernet, false, architecture, x);
            Assert.True(fast.allclose(plain, rtol: 1e-4, atol: 1e-5), $"{architecture}: max difference {(fast - plain).abs().max().item<float>():E2}");
            Assert.Equal(plainGrads.Count, fastGrads.Count);
            for (int g = 0; g < plainGrads.Count; g++)
                Assert.True(fastGrads[g].allclose(plainGrads[g], rtol: 1e-3, atol: 1e-5), $"{architecture}: gradient {g} max diff {(fastGrads[g] - plainGrads[g]).abs().max().item<float>():E2} max {plainGrads[g].abs().max().item<float>():E2}");
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
