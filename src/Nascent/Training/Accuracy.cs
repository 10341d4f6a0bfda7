namespace Nascent.Training;

/// <summary>Accuracy (percent) and mean cross-entropy of a network's path on a set of images.</summary>
public static class Accuracy
{
    public static (double AccuracyPercent, double Loss) Measure(CellNetwork network, Architecture architecture,
        Tensor images, Tensor labels, int batchSize) =>
        Measure(network, x => network.Forward(x, architecture), images, labels, batchSize);

    /// <summary>The same for any network, in eval mode, through a forward of the caller's.</summary>
    public static (double AccuracyPercent, double Loss) Measure(nn.Module network, Func<Tensor, Tensor> forward,
        Tensor images, Tensor labels, int batchSize)
    {
        long count = images.shape[0];
        if (count == 0) throw new ArgumentException("Nothing to evaluate on.");
        bool wasTraining = network.training;
        network.eval();
        double lossSum = 0;
        long correct = 0;
        try
        {
            using var _ = no_grad();
            for (long start = 0; start < count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                long length = Math.Min(batchSize, count - start);
                var x = images.narrow(0, start, length);
                var y = labels.narrow(0, start, length);
                var logits = forward(x);
                lossSum += nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.Sum).item<float>();
                correct += logits.argmax(1).eq(y).sum().item<long>();
            }
        }
        finally
        {
            network.train(wasTraining);
        }
        return (100.0 * correct / count, lossSum / count);
    }
}
