using Nascent.Core;
using Nascent.Nn;
using Nascent.Objectives;
using Nascent.Spaces;

namespace Nascent.Costs;

/// <summary>The device cost of an untrained architecture in a training search, by <see cref="CostMetric"/> name:
/// parameters and FLOPs counted on the built network (<see cref="ModelCost"/>), each architecture built once.</summary>
public static class CostModels
{
    public static ICostModel Measured(CostMetric cost, NetworkOptions network, int inputHeight, int inputWidth) => cost.Name switch
    {
        CostMetric.Params => new Counted(cost.Name, network, inputHeight, inputWidth, c => c.ParamsMillions),
        CostMetric.Flops => new Counted(cost.Name, network, inputHeight, inputWidth, c => c.MFlops),
        _ => throw new NascentException($"No cost model for '{cost.Name}' in a training search; use {CostMetric.Params} or {CostMetric.Flops}."),
    };

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
