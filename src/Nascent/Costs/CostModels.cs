namespace Nascent.Costs;

/// <summary>The device cost of an untrained architecture in a training search, by <see cref="CostMetric"/> name:
/// parameters and FLOPs counted on the built network (<see cref="ModelCost"/>), latency from the search's latency
/// table or else measured at batch 1 on a freshly built network (<see cref="MeasuredLatency"/>); each architecture
/// is costed once.</summary>
public static class CostModels
{
    public static ICostModel Measured(CostMetric cost, NetworkOptions network, int inputHeight, int inputWidth,
        ILatencyModel? latencyTable = null) => cost.Name switch
    {
        CostMetric.Params => new Counted(cost.Name, network, inputHeight, inputWidth, c => c.ParamsMillions),
        CostMetric.Flops => new Counted(cost.Name, network, inputHeight, inputWidth, c => c.MFlops),
        CostMetric.Latency => new Latency(latencyTable ?? new MeasuredLatency(network, inputHeight, inputWidth, LatencyOptions.Quick)),
        _ => throw new NascentException($"No cost model for '{cost.Name}' in a training search; use {string.Join(", ", CostMetric.MeasuredNames)}."),
    };

    private sealed class Latency(ILatencyModel model) : ICostModel
    {
        private readonly Dictionary<Architecture, double> _measured = [];

        public string Name => CostMetric.Latency;

        public double Of(Architecture architecture)
        {
            if (!_measured.TryGetValue(architecture, out double ms)) _measured[architecture] = ms = model.PredictMs(architecture);
            return ms;
        }
    }

    private sealed class Counted(string name, NetworkOptions network, int height, int width, Func<ModelCost, double> value) : ICostModel
    {
        private readonly Dictionary<Architecture, ModelCost> _counted = [];

        public string Name => name;

        public double Of(Architecture architecture)
        {
            if (!_counted.TryGetValue(architecture, out var cost))
                _counted[architecture] = cost = ModelCost.Of(architecture, network, height, width);
            return value(cost);
        }
    }
}
