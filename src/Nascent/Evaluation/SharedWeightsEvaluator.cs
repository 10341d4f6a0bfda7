namespace Nascent.Evaluation;

/// <summary>
/// Validation accuracy of an architecture's path through a trained supernet: no training, one pass over a fixed
/// set of validation images. Batch norm uses the batch's statistics (the supernet keeps no running statistics, which
/// would mix every path's), so evaluate in large batches.
/// </summary>
public sealed class SharedWeightsEvaluator(CellNetwork supernet, Tensor images, Tensor labels, int batchSize) : IEvaluator
{
    private readonly Dictionary<Architecture, long> _parameters = [];

    public Metrics Evaluate(Architecture architecture, CancellationToken cancellation = default)
    {
        var (accuracy, loss) = Accuracy.Measure(supernet, architecture, images, labels, batchSize);
        if (!_parameters.TryGetValue(architecture, out var parameters))
            _parameters[architecture] = parameters =
                ModelCost.Of(architecture, supernet.Options, (int)images.shape[2], (int)images.shape[3]).Params;
        return new Metrics(accuracy, loss, parameters);
    }
}
