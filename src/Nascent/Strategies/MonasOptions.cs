using Nascent.Core;

namespace Nascent.Strategies;

/// <summary>
/// MONAS (Hsu et al. 2018): the REINFORCE controller (<see cref="ControllerOptions.Reinforce"/>) and its reward over
/// accuracy and the search's first cost. Without a budget the weighted reward a − w · c / s (paper, section 3.2); with
/// a budget the constrained reward: a within it, <see cref="OverBudgetReward"/> above it (section 3.3).
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
