using Nascent.Costs;
using Nascent.Evaluation;
using Nascent.Nn;
using Nascent.Spaces;
using Nascent.Training;

namespace Nascent.Tests.Costs;

[Collection(MnistCollection.Name)]
public sealed class EvaluatorCostTests(MnistFixture mnist)
{
    [Fact]
    public void Training_from_scratch_reports_flops_in_millions_and_a_latency()
    {
        var architecture = Nb201Space.Instance.Parse("|nor_conv_3x3~0|+|skip_connect~0|avg_pool_3x3~1|+|none~0|none~1|nor_conv_1x1~2|");
        var network = new NetworkOptions(1, 10, Channels: 4, Cells: 1);
        var training = new TrainingOptions { Epochs = 1, BatchSize = 100 };
        // A small slice keeps the two trainings short; costs do not depend on the data.
        using var train = new Nascent.Data.ImageDataset("train", mnist.Splits.Train.Images.narrow(0, 0, 300),
            mnist.Splits.Train.Labels.narrow(0, 0, 300), 10, [0f], [1f]);
        using var validation = new Nascent.Data.ImageDataset("validation", mnist.Splits.Validation.Images.narrow(0, 0, 200),
            mnist.Splits.Validation.Labels.narrow(0, 0, 200), 10, [0f], [1f]);
        var splits = new Nascent.Data.DataSplits(train, validation, validation);

        var measured = new ScratchTrainingEvaluator(network, training, splits, seed: 1).Evaluate(architecture);
        var cost = ModelCost.Of(architecture, network, 28, 28);
        Assert.Equal(cost.MFlops, measured.Flops);
        Assert.Equal(cost.Params, measured.Parameters);
        // Batch 1 through a 4-channel network: tenths of a millisecond here; no forward pass is under 10 µs, and
        // 100 ms would be a thousand times too slow.
        Assert.InRange(measured.LatencyMs!.Value, 0.01, 100);

        var table = LatencyTable.Create(Nb201Space.Instance, network, 28, 28, new LatencyOptions { Rounds = 1, Warmup = 1, Repeats = 2, MinSampleMs = 0.1 });
        var predicted = new ScratchTrainingEvaluator(network, training, splits, seed: 1, table).Evaluate(architecture);
        Assert.Equal(table.PredictMs(architecture), predicted.LatencyMs);
        Assert.Equal(measured.Accuracy, predicted.Accuracy); // the same seed trains the same network
    }
}
