namespace Nascent.Evaluation;

/// <summary>A fixed selection of an InstaNAS meta-graph, scored on the meta-graph's current (shared) weights:
/// validation accuracy on the first <c>images</c> validation images, and the latency the module table predicts.
/// Before scoring, the batch-norm statistics are re-estimated for the selection on <paramref name="calibration"/>
/// (<see cref="InstaNasNetwork.RecalibrateBatchNorm"/>): a one-shot network trained on random selections normalises
/// with their statistics, not with this selection's; each candidate starts from a reset, so order does not matter. An
/// empty <paramref name="calibration"/> scores with the statistics as they are.</summary>
public sealed class MetaGraphEvaluator(InstaNasNetwork network, ModuleLatencyTable table, Data.ImageDataset validation,
    int images, int batchSize, IReadOnlyList<Tensor> calibration) : IEvaluator
{
    public Metrics Evaluate(Architecture architecture, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        var selection = network.ToMatrix(architecture);
        if (calibration.Count > 0)
        {
            using var scope = NewDisposeScope();
            var policy = tensor(architecture.Choices.Select(c => (float)c).ToArray()).view(1, network.Blocks.Count, -1);
            network.RecalibrateBatchNorm(calibration.Select(batch => (batch, policy.expand(batch.shape[0], -1, -1))));
        }
        var (x, y) = validation.Slice(0, Math.Min(images, validation.Count));
        var (accuracy, loss) = Accuracy.Measure(network, input => network.Forward(input, selection), x, y, batchSize);
        return new Metrics(accuracy, loss, LatencyMs: table.PredictMs(network, architecture));
    }
}
