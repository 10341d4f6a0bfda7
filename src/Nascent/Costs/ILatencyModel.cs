namespace Nascent.Costs;

/// <summary>An architecture's latency in milliseconds: predicted by a <see cref="LatencyTable"/> or measured on
/// this machine (<see cref="MeasuredLatency"/>).</summary>
public interface ILatencyModel
{
    /// <summary>Images per forward pass the latency is for.</summary>
    int Batch { get; }

    double PredictMs(Architecture architecture);
}
