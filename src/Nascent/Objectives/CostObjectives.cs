using Nascent.Core;

namespace Nascent.Objectives;

/// <summary>
/// What a device-aware search trades against accuracy: one or more costs (the first is the one a reward or budget
/// applies to), an optional budget on it, and how MONAS turns accuracy and cost into one reward. A search with costs
/// returns the best architecture within the budget (the best of all without one) and the Pareto front of everything it
/// evaluated.
/// </summary>
public sealed record CostObjectives
{
    public IReadOnlyList<CostMetric> Costs { get; init; } = [];

    /// <summary>Largest acceptable value of the first cost; with it MONAS uses the constrained reward.</summary>
    public double? Budget { get; init; }

    /// <summary>MONAS's weighted reward: accuracy (in [0, 1]) minus this weight times the normalised first cost.</summary>
    public double Weight { get; init; } = 0.5;

    /// <summary>The value the weighted reward divides the cost by; null: the largest cost seen so far, so the term
    /// lies in [0, 1].</summary>
    public double? Scale { get; init; }

    /// <summary>MONAS's constrained reward for an architecture over the budget (within it the reward is accuracy in
    /// [0, 1]).</summary>
    public double OverBudgetReward { get; init; }

    public CostMetric Primary => Costs.Count > 0 ? Costs[0]
        : throw new NascentException("A multi-objective search needs a cost: name one with --cost (latency, params, flops or a table column).");

    /// <summary>Accuracy first, then every cost, as the Pareto tools take them.</summary>
    public IReadOnlyList<Objective> Objectives(Objective? accuracy = null) =>
        Costs.Select(c => c.Objective).Prepend(accuracy ?? Objective.Accuracy).ToArray();

    public bool WithinBudget(double primaryCost) => Budget is not double budget || primaryCost <= budget;

    public void Validate()
    {
        _ = Primary;
        if (Budget is <= 0 || Budget is double b && !double.IsFinite(b)) throw new NascentException($"--budget must be a positive number (got {Budget}).");
        if (!(Weight >= 0) || !double.IsFinite(Weight)) throw new NascentException($"--cost-weight must not be negative (got {Weight}).");
        if (Scale is double s && !(s > 0 && double.IsFinite(s))) throw new NascentException($"--cost-scale must be positive (got {Scale}).");
        if (!double.IsFinite(OverBudgetReward)) throw new NascentException($"--over-budget-reward must be a number (got {OverBudgetReward}).");
        var repeated = Costs.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new NascentException($"--cost names '{repeated.Key}' twice.");
    }
}
