namespace Nascent.Costs;

/// <summary>Latency by direct measurement: builds the architecture's standalone network (fresh weights; latency
/// does not depend on their values) and measures it with <see cref="LatencyMeter"/>.</summary>
public sealed class MeasuredLatency(NetworkOptions network, int inputHeight, int inputWidth, LatencyOptions options)
    : ILatencyModel
{
    public int Batch => options.Batch;

    public double PredictMs(Architecture architecture) => Measure(architecture).MedianMs;

    public LatencyMeasurement Measure(Architecture architecture)
    {
        using var built = NetworkFactory.CreateStandalone(architecture, network with { TrackRunningStats = true });
        return LatencyMeter.Measure(built, inputHeight, inputWidth, options);
    }
}
