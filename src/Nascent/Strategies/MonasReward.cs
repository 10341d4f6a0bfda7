namespace Nascent.Strategies;

/// <summary>
/// MONAS's rewards (Hsu et al. 2018) for the REINFORCE controller, from a told trial's accuracy a (in [0, 1]) and its
/// first cost c. Weighted (no budget): a − w · c / s, with s the cost scale (by default the largest cost told so far,
/// so the term lies in [0, w]). Constrained (a budget B): a when c ≤ B, otherwise a fixed reward (default 0: a network
/// over the budget is worth nothing). A failed trial earns 0 either way.
/// </summary>
public sealed class MonasReward(CostObjectives objectives, MonasOptions? options = null)
{
    public CostObjectives Objectives { get; } = objectives;
    public MonasOptions Options { get; } = options ?? new MonasOptions();

    /// <summary>The largest first cost told so far (the default scale of the weighted reward).</summary>
    public double LargestCost { get; set; }

    public double Of(Trial trial)
    {
        if (trial.Status != TrialStatus.Done || trial.Metrics is null) return 0;
        double accuracy = trial.Metrics.Accuracy / 100.0;
        double cost = Objectives.Primary.Of(trial.Metrics);
        LargestCost = Math.Max(LargestCost, cost);
        if (Objectives.Budget is not null)
            return Objectives.WithinBudget(cost) ? accuracy : Options.OverBudgetReward;
        double scale = Options.CostScale ?? LargestCost;
        return scale > 0 ? accuracy - Options.CostWeight * cost / scale : accuracy;
    }
}
