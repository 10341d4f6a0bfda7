namespace Nascent.Objectives;

/// <summary>
/// What a device-aware search trades against accuracy: one or more costs (the first is the one a reward or budget
/// applies to) and an optional budget on it. A search with costs
/// returns the best architecture within the budget (the best of all without one) and the Pareto front of everything it
/// evaluated. How MONAS turns accuracy and cost into one reward is its own (<see cref="Strategies.MonasOptions"/>).
/// </summary>
public sealed record CostObjectives
{
    public IReadOnlyList<CostMetric> Costs { get; init; } = [];

    /// <summary>Largest acceptable value of the first cost; with it MONAS uses the constrained reward.</summary>
    public double? Budget { get; init; }

    public CostMetric Primary => Costs.Count > 0 ? Costs[0]
        : throw NascentException.ForSetting(Settings.KeyOf(GetType(), nameof(Costs)),
            "A multi-objective search needs a cost: name one in {setting} (latency, params, flops or a table column).");

    /// <summary>Accuracy first, then every cost, as the Pareto tools take them.</summary>
    public IReadOnlyList<Objective> Objectives(Objective? accuracy = null) =>
        Costs.Select(c => c.Objective).Prepend(accuracy ?? Objective.Accuracy).ToArray();

    public bool WithinBudget(double primaryCost) => Budget is not double budget || primaryCost <= budget;

    public void Validate()
    {
        _ = Primary;
        if (Budget is <= 0 || Budget is double b && !double.IsFinite(b)) throw NascentException.ForSetting(Settings.KeyOf(GetType(), nameof(Budget)), $"{{setting}} must be a positive number (got {Budget}).");
        var repeated = Costs.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw NascentException.ForSetting(Settings.KeyOf(GetType(), nameof(Costs)), $"{{setting}} names '{repeated.Key}' twice.");
    }
}
