using Nascent.Core;
using Nascent.Nn;
using Nascent.Spaces;
using Nascent.Strategies;
using Nascent.Training;
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
    [Fact]
    public void The_mixed_operations_batch_norms_have_no_affine_parameters_and_the_standalone_cells_have()
    {
        var space = Nb201Space.Instance;
        using var supernet = NetworkFactory.CreateSupernet(space, Small);
        var names = supernet.named_parameters().Select(p => p.name).ToList();
        Assert.Contains(names, n => n.Contains(".nor_conv_3x3.conv.weight"));
        Assert.DoesNotContain(names, n => n.Contains(".nor_conv_3x3.bn.") || n.Contains(".nor_conv_1x1.bn."));
        // The skeleton outside the cells keeps them, as NAS-Bench-201's search model does (stem, reductions, last BN).
        Assert.Contains("stem.bn.weight", names);
        Assert.Contains("lastBn.bias", names);

        var architecture = space.Parse("|nor_conv_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|skip_connect~0|none~1|nor_conv_3x3~2|");
        using var child = NetworkFactory.CreateStandalone(architecture, Small with { TrackRunningStats = true });
        var childNames = child.named_parameters().Select(p => p.name).ToList();
        Assert.Equal(6, childNames.Count(n => n.Contains(".nor_conv_3x3.bn.weight"))); // 2 edges x 3 stages
        Assert.Equal(3, childNames.Count(n => n.Contains(".nor_conv_1x1.bn.bias")));
    }

    [Fact]
    public void One_step_updates_alpha_on_the_validation_batch_before_the_weights_see_the_training_batch()
    {
        manual_seed(5);
        using var supernet = NetworkFactory.CreateSupernet(Nb201Space.Instance, Small);
        using var darts = new Darts(Nb201Space.Instance, 1, new DartsOptions { LearningRate = 0.1 });
        var initial = Enumerable.Range(0, 6).Select(darts.Alpha).ToArray();
        var batch = new RecordingBatch(supernet, darts);
        darts.TrainStep(batch);
        Assert.Equal(["validation batch", "weights after 1 alpha update(s)"], batch.Calls);
        // The weight step mixed with the updated α, not the initial one.
        for (int d = 0; d < 6; d++)
        {
            Assert.NotEqual(initial[d], darts.Alpha(d));
            using var expected = nn.functional.softmax(tensor(darts.Alpha(d)), 0);
            Assert.True(batch.MixingWeights![d].allclose(expected), $"decision {d}");
        }
    }

    /// <summary>A supernet batch that records what the strategy asks of it, in order.</summary>
    private sealed class RecordingBatch(CellNetwork supernet, Darts darts) : IImageSupernetBatch
    {
        public List<string> Calls { get; } = [];
        public Tensor[]? MixingWeights { get; private set; }
        public long Step => 0;
        public CellNetwork Supernet => supernet;

        public double TrainMixed(IReadOnlyList<Tensor> decisionWeights)
        {
            Calls.Add($"weights after {darts.Updates} alpha update(s)");
            MixingWeights = decisionWeights.Select(w => w.detach().clone()).ToArray();
            return 0;
        }

        public (Tensor Images, Tensor Labels) NextValidationBatch()
        {
            Calls.Add("validation batch");
            return (randn(8, 1, 28, 28), randint(0, 10, 8));
        }

        public double TrainOnPath(Architecture path) => throw new InvalidOperationException();
        public (double[] LogLikelihoods, double Loss) TrainImportanceWeighted(IReadOnlyList<Architecture> samples, double minimumWeight) =>
            throw new InvalidOperationException();
        public double[] ValidationLogLikelihoods(IReadOnlyList<Architecture> samples) => throw new InvalidOperationException();
        public double ValidationAccuracy(Architecture path, int images) => throw new InvalidOperationException();
    }
}
