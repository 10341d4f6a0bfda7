namespace Nascent.Evaluation;

/// <summary>Trains each architecture's own network from scratch for a few epochs and measures validation accuracy.
/// Every candidate gets the same initialisation seed and data order, so differences come from the architecture.
/// Costs come with it: parameters and FLOPs counted on the trained network (<see cref="ModelCost"/>), and latency
/// predicted by <paramref name="latency"/> when given (a <see cref="LatencyTable"/>), otherwise measured on the
/// trained network at batch 1 (<see cref="LatencyOptions.Quick"/>, the threads in use).</summary>
public sealed class ScratchTrainingEvaluator(NetworkOptions network, TrainingOptions training, DataSplits data, ulong seed,
    ILatencyModel? latency = null) : IEvaluator
{
    public Metrics Evaluate(Architecture architecture, CancellationToken cancellation = default)
    {
        using var trained = ChildTraining.Train(architecture, network, training, data.Train, seed, cancellation: cancellation);
        var (accuracy, loss) = Accuracy.Measure(trained, architecture, data.Validation.Images, data.Validation.Labels, 500);
        int height = data.Train.Height, width = data.Train.Width;
        var cost = ModelCost.Measure(trained, height, width);
        double latencyMs = latency?.PredictMs(architecture)
            ?? LatencyMeter.Measure(trained, height, width, LatencyOptions.Quick).MedianMs;
        return new Metrics(accuracy, loss, cost.Params, LatencyMs: latencyMs, Flops: cost.MFlops);
    }
}
