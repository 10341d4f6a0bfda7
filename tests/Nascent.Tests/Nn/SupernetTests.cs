using Nascent.Core;
using Nascent.Nn;
using Nascent.Spaces;
using Nascent.Training;
using static TorchSharp.torch;

namespace Nascent.Tests.Nn;

public sealed class SupernetTests
{
    public static TheoryData<string> SpaceNames => new() { "nb201", "enas-micro" };

    private static SearchSpace Space(string name) => name == "enas-micro" ? new EnasMicroSpace(3) : Nb201Space.Instance;

    private static readonly NetworkOptions Small = new(InputChannels: 1, Classes: 10, Channels: 4, Cells: 1, TrackRunningStats: false);

    [Theory, MemberData(nameof(SpaceNames))]
    public void A_standalone_network_loaded_from_the_supernet_computes_the_same_outputs(string name)
    {
        var space = Space(name);
        var random = new SeededRandom(3);
        manual_seed(3);
        using var supernet = NetworkFactory.CreateSupernet(space, Small);
        using var input = randn(8, 1, 28, 28);
        for (int i = 0; i < 5; i++)
        {
            var architecture = space.Sample(random);
            using var standalone = NetworkFactory.CreateStandalone(architecture, Small);
            standalone.LoadPathFrom(supernet);
            Assert.True(standalone.ParameterCount() < supernet.ParameterCount());
            foreach (bool training in new[] { true, false })
            {
                supernet.train(training);
                standalone.train(training);
                using var _ = no_grad();
                using var expected = supernet.Forward(input, architecture);
                using var actual = standalone.forward(input);
                Assert.True(expected.allclose(actual, rtol: 1e-5, atol: 1e-6), $"{architecture} (training={training})");
            }
        }
    }

    [Theory, MemberData(nameof(SpaceNames))]
    public void Only_the_chosen_path_gets_gradients_and_updates_even_with_momentum(string name)
    {
        var space = Space(name);
        var random = new SeededRandom(11);
        manual_seed(11);
        using var supernet = NetworkFactory.CreateSupernet(space, Small);
        using var trainer = new Trainer(supernet, new TrainingOptions { Momentum = 0.9, WeightDecay = 1e-3, LearningRate = 0.1 }, 10);
        using var images = randn(16, 1, 28, 28);
        using var labels = randint(0, 10, 16);

        // Two paths such that the first uses operations the second does not.
        Architecture first, second;
        HashSet<string> secondKeys;
        List<string> onlyFirst;
        do
        {
            first = space.Sample(random);
            second = space.Sample(random);
            using var firstNet = NetworkFactory.CreateStandalone(first, Small);
            using var secondNet = NetworkFactory.CreateStandalone(second, Small);
            secondKeys = secondNet.named_parameters().Select(p => p.name).ToHashSet();
            onlyFirst = firstNet.named_parameters().Select(p => p.name).Where(k => !secondKeys.Contains(k)).ToList();
        } while (onlyFirst.Count == 0);

        // A step on the first path gives its operations momentum; on the second, those must not move.
        trainer.Step(images, labels, first);
        var before = supernet.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        trainer.Step(images, labels, second);
        var after = supernet.named_parameters().ToDictionary(p => p.name, p => p.parameter);

        foreach (var key in before.Keys)
        {
            bool onPath = secondKeys.Contains(key);
            bool moved = !before[key].equal(after[key]).all().item<bool>();
            if (onPath) Assert.True(after[key].grad is not null, $"{key} is on the path but has no gradient");
            else
            {
                Assert.True(after[key].grad is null, $"{key} is off the path but has a gradient");
                Assert.False(moved, $"{key} is off the path but moved");
            }
        }
        // Some path parameters did move.
        Assert.Contains(secondKeys, k => !before[k].equal(after[k]).all().item<bool>());
    }

    [Fact]
    public void Every_candidate_operation_is_held_once_in_the_supernet()
    {
        using var supernet = NetworkFactory.CreateSupernet(Nb201Space.Instance, Small);
        var names = supernet.named_parameters().Select(p => p.name).ToList();
        // 3 stages x 1 cell x 6 edges, each with nor_conv_1x1 and nor_conv_3x3 (conv weight + BN weight and bias).
        Assert.Equal(18, names.Count(n => n.Contains(".nor_conv_3x3.conv.weight")));
        Assert.Equal(18, names.Count(n => n.Contains(".nor_conv_1x1.conv.weight")));
        Assert.Equal(names.Count, names.Distinct().Count());
    }
    [Fact]
    public void Weights_of_another_layout_are_refused_in_one_line()
    {
        string file = Path.Combine(Path.GetTempPath(), $"nascent-layout-{Guid.NewGuid():N}.dat");
        try
        {
            using (var other = NetworkFactory.CreateSupernet(Nb201Space.Instance, Small)) other.save(file);
            var images = rand(8, 1, 28, 28);
            using var split = new Nascent.Data.ImageDataset("toy", images, randint(0, 10, 8), 10, [0.5f], [0.25f]);
            using var supernet = new ImageSupernet(NetworkFactory.CreateSupernet(new EnasMicroSpace(2), Small),
                new Nascent.Data.DataSplits(split, split, split), new TrainingOptions { BatchSize = 4 }, 1, 4, 4);
            var e = Assert.Throws<NascentException>(() => supernet.LoadWeights(file));
            Assert.Contains(file, e.Message);
            Assert.Contains("start a new run", e.Message);
            Assert.DoesNotContain("\n", e.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
