using Nascent.Core;
using Nascent.Nn;
using Nascent.Spaces;
using Nascent.Strategies;
using static TorchSharp.torch;

namespace Nascent.Tests.Strategies;

public sealed class DartsTests
{
    private static readonly NetworkOptions Small = new(InputChannels: 1, Classes: 10, Channels: 4, Cells: 1, TrackRunningStats: false);

    [Fact]
    public void The_mixed_operation_with_one_hot_weights_equals_the_single_operation()
    {
        var space = Nb201Space.Instance;
        var random = new SeededRandom(4);
        manual_seed(4);
        using var supernet = NetworkFactory.CreateSupernet(space, Small);
        using var input = randn(8, 1, 28, 28);
        supernet.train();
        using var _ = no_grad();
        var architectures = new List<Architecture> { space.Parse("|none~0|+|none~0|none~1|+|none~0|nor_conv_3x3~1|skip_connect~2|") };
        for (int i = 0; i < 6; i++) architectures.Add(space.Sample(random));
        foreach (var architecture in architectures)
        {
            var oneHot = architecture.Choices.Select(c => nn.functional.one_hot(tensor((long)c), 5).to_type(ScalarType.Float32)).ToArray();
            using var mixed = supernet.ForwardMixed(input, oneHot);
            using var single = supernet.Forward(input, architecture);
            Assert.True(mixed.allclose(single, rtol: 1e-5, atol: 1e-6), architecture.ToString());
        }

        // Non-trivial weights mix: halfway between two one-hot choices of one edge is not either of them.
        var a = space.Parse("|nor_conv_3x3~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|");
        var weights = a.Choices.Select(c => nn.functional.one_hot(tensor((long)c), 5).to_type(ScalarType.Float32)).ToArray();
        weights[0] = tensor(new float[] { 0, 0.5f, 0, 0.5f, 0 });
        using var half = supernet.ForwardMixed(input, weights);
        using var conv = supernet.Forward(input, a);
        Assert.False(half.allclose(conv, rtol: 1e-3, atol: 1e-4));
    }

    [Fact]
    public void Discretisation_takes_the_largest_alpha_per_edge_none_included()
    {
        using var darts = new Darts(Nb201Space.Instance, 0);
        float[][] alpha =
        [
            [0.9f, 0.1f, 0.2f, 0.3f, 0.4f],  // none wins: DARTS on NAS-Bench-201 may pick "none"
            [0f, 0f, 0f, 1f, 0f],
            [0f, 2f, 0f, 1f, 0f],
            [0f, 0f, 0.5f, 0.1f, 0.6f],
            [-1f, -2f, -0.5f, -3f, -4f],
            [0f, 0f, 0f, 0f, 0.01f],
        ];
        for (int d = 0; d < alpha.Length; d++) darts.SetAlpha(d, alpha[d]);
        var result = darts.Discretise();
        Assert.Equal([0, 3, 1, 4, 2, 4], result.Choices);
        Assert.Equal(result, darts.Ask()); // DARTS answers the discretised architecture
        var relaxation = darts.Relaxation();
        Assert.Equal(result.ToString(), relaxation.MostProbable);
        Assert.Equal(1.0, relaxation.Decisions[0].Probabilities.Sum(), 9);
    }
}
