namespace Nascent.Strategies;

/// <summary>
/// MONAS (Hsu et al. 2018): the REINFORCE controller (<see cref="ControllerOptions.Reinforce"/>) and its reward over
/// accuracy and the search's first cost. Without a budget the weighted reward a − w · c / s; with
/// a budget the constrained reward: a within it, <see cref="OverBudgetReward"/> above it. The defaults (weight 0.5, over-budget reward 0) are ours, as before this record existed (they moved here from CostObjectives unchanged); the paper's section numbers were not checked here.
/// </summary>
public sealed record MonasOptions : IStrategyOptions
{
    public ControllerOptions Controller { get; init; } = ControllerOptions.Reinforce;

    [Setting("weighted reward: accuracy - W * cost / scale (no budget)", Min = 0)]
    public double CostWeight { get; init; } = 0.5;

    /// <summary>The value the weighted reward divides the cost by; null: the largest cost seen so far, so the term
    /// lies in [0, 1].</summary>
    [Setting("the cost scale of the weighted reward (default: the largest cost seen so far)", Min = 0, MinExclusive = true)]
    public double? CostScale { get; init; }

    [Setting("constrained reward of an architecture over the budget")]
    public double OverBudgetReward { get; init; }

    public void Validate() => Settings.Validate(this);
}
