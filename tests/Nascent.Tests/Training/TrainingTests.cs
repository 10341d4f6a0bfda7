using Nascent.Nn;
using Nascent.Spaces;
using Nascent.Training;
using static TorchSharp.torch;

namespace Nascent.Tests.Training;

[Collection(MnistCollection.Name)]
public sealed class TrainingTests(MnistFixture mnist)
{
    [Fact]
    public void A_short_mnist_training_run_learns_far_above_chance()
    {
        var architecture = Nb201Space.Instance.Parse("|nor_conv_3x3~0|+|skip_connect~0|nor_conv_3x3~1|+|skip_connect~0|none~1|nor_conv_1x1~2|");
        var options = new NetworkOptions(1, 10, Channels: 8, Cells: 1);
        using var network = ChildTraining.Train(architecture, options, new TrainingOptions { Epochs = 1, BatchSize = 32 },
            mnist.Splits.Train, seed: 1);
        var (accuracy, loss) = Accuracy.Measure(network, architecture, mnist.Splits.Validation.Images, mnist.Splits.Validation.Labels, 500);
        // 3,000 images, one epoch: chance is 10 %; a network that learns is far above it.
        Assert.True(accuracy > 80, $"validation accuracy {accuracy:F1} %");
        Assert.True(loss < 1.0, $"validation loss {loss:F3}");
    }

    [Fact]
    public void The_same_seed_trains_to_the_same_weights()
    {
        var architecture = Nb201Space.Instance.Parse("|nor_conv_1x1~0|+|skip_connect~0|avg_pool_3x3~1|+|skip_connect~0|none~1|nor_conv_1x1~2|");
        var options = new NetworkOptions(1, 10, Channels: 4, Cells: 1);
        var training = new TrainingOptions { Epochs = 1, BatchSize = 100 };
        using var subset = new Nascent.Data.ImageDataset("part", mnist.Splits.Train.Images.narrow(0, 0, 400),
            mnist.Splits.Train.Labels.narrow(0, 0, 400), 10, [0f], [1f]);
        using var a = ChildTraining.Train(architecture, options, training, subset, seed: 5);
        using var b = ChildTraining.Train(architecture, options, training, subset, seed: 5);
        using var c = ChildTraining.Train(architecture, options, training, subset, seed: 6);
        var pa = a.parameters().ToArray();
        var pb = b.parameters().ToArray();
        var pc = c.parameters().ToArray();
        Assert.All(pa.Zip(pb), p => Assert.True(p.First.equal(p.Second).all().item<bool>()));
        Assert.Contains(pa.Zip(pc), p => !p.First.equal(p.Second).all().item<bool>());
    }

    [Fact]
    public void A_diverging_loss_raises_the_divergence_error_with_its_reason()
    {
        var architecture = Nb201Space.Instance.Parse("|nor_conv_3x3~0|+|skip_connect~0|nor_conv_3x3~1|+|skip_connect~0|none~1|nor_conv_1x1~2|");
        using var network = NetworkFactory.CreateStandalone(architecture, new NetworkOptions(1, 10, 4, 1));
        using var trainer = new Trainer(network, new TrainingOptions(), 10);
        using var images = full(new long[] { 4, 1, 28, 28 }, float.NaN);
        using var labels = zeros(4, dtype: int64);
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Step(images, labels, architecture));
        Assert.Contains("NaN", e.Message);
    }

    [Fact]
    public void The_learning_rate_follows_a_cosine_from_its_start_to_its_floor()
    {
        var architecture = Nb201Space.Instance.Create([1, 1, 1, 1, 1, 1]);
        using var network = NetworkFactory.CreateStandalone(architecture, new NetworkOptions(1, 10, 4, 1));
        using var trainer = new Trainer(network, new TrainingOptions { LearningRate = 0.1, MinLearningRate = 0.0 }, 4);
        using var images = randn(4, 1, 28, 28);
        using var labels = zeros(4, dtype: int64);
        var rates = new List<double>();
        for (int i = 0; i < 4; i++) { rates.Add(trainer.CurrentLearningRate); trainer.Step(images, labels, architecture); }
        Assert.Equal(0.1, rates[0], 12);
        Assert.Equal(0.05, rates[2], 12); // halfway
        Assert.True(rates.Zip(rates.Skip(1)).All(p => p.Second < p.First));
    }
}
