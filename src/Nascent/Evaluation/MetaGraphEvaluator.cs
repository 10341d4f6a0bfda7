using Nascent.Costs;
using Nascent.Nn;
using Nascent.Spaces;
using Nascent.Training;

namespace Nascent.Evaluation;

/// <summary>A fixed selection of an InstaNAS meta-graph, scored on the meta-graph's current (shared) weights:
/// validation accuracy on the first <c>images</c> validation images, and the latency the module table predicts.</summary>
public sealed class MetaGraphEvaluator(InstaNasNetwork network, ModuleLatencyTable table, Data.ImageDataset validation,
    int images, int batchSize) : IEvaluator
{
    public Metrics Evaluate(Architecture architecture, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        var selection = network.ToMatrix(architecture);
        var (x, y) = validation.Slice(0, Math.Min(images, validation.Count));
        var (accuracy, loss) = Accuracy.Measure(network, input => network.Forward(input, selection), x, y, batchSize);
        return new Metrics(accuracy, loss, LatencyMs: table.PredictMs(network, architecture));
    }
}
