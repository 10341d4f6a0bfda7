using Nascent.Objectives;
using Nascent.Strategies;

namespace Nascent.Experiments;

/// <summary>The options of a device-aware search shared by <c>nascent search</c> and <c>nascent bench</c> (the costs
/// themselves are each command's <c>--cost</c>): the budget on the first cost, MONAS's reward, DPP-Net's stage size
/// and predictor.</summary>
public sealed record DeviceSearchOptions
{
    /// <summary>Largest acceptable value of the first cost: a search returns the best architecture within it, and
    /// MONAS uses its constrained reward.</summary>
    public double? Budget { get; init; }
    /// <summary>MONAS's weighted reward: accuracy minus this weight times the normalised first cost.</summary>
    public double CostWeight { get; init; } = new CostObjectives().Weight;
    public double? CostScale { get; init; }
    public double OverBudgetReward { get; init; } = new CostObjectives().OverBudgetReward;
    /// <summary>DPP-Net: candidates evaluated per stage, and the accuracy predictor's epochs per fit.</summary>
    public int DppKeep { get; init; } = new DppOptions().Keep;
    public int DppEpochs { get; init; } = new DppOptions().PredictorEpochs;

    public CostObjectives Objectives(IReadOnlyList<string>? costs) => new()
    {
        Costs = (costs ?? []).Select(c => new CostMetric(c)).ToArray(), Budget = Budget, Weight = CostWeight, Scale = CostScale,
        OverBudgetReward = OverBudgetReward,
    };

    public DppOptions Dpp() => new() { Keep = DppKeep, PredictorEpochs = DppEpochs };

    /// <summary>Checks what applies to the named strategies, with the costs named (<paramref name="tabular"/>: table
    /// columns; otherwise measured costs).</summary>
    public void Validate(IReadOnlyList<string>? costs, IEnumerable<string> strategies, bool tabular)
    {
        bool hasCosts = costs is { Count: > 0 };
        var needsCost = strategies.FirstOrDefault(StrategyCatalog.MultiObjectiveNames.Contains);
        if (needsCost is not null && !hasCosts)
            throw new Core.NascentException($"Strategy {needsCost} trades accuracy against a device cost: name it with --cost " +
                $"({(tabular ? "a table column, e.g. a latency column" : string.Join(", ", CostMetric.MeasuredNames))}).");
        if (Budget is not null && !hasCosts) throw new Core.NascentException("--budget applies to the first --cost: name the cost.");
        if (hasCosts) Objectives(costs).Validate();
        if (strategies.Contains("dpp")) Dpp().Validate();
    }
}
