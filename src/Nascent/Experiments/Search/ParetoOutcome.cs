using Nascent.Plots;

namespace Nascent.Experiments.Search;

/// <summary>The multi-objective part of a search's result.json: the costs weighed, the budget, whether the returned
/// architecture keeps it, and the Pareto front of every evaluated architecture (accuracy against the costs).</summary>
public sealed record ParetoSummary(IReadOnlyList<string> Costs, double? Budget, bool BestWithinBudget, int TrialsWithinBudget,
    IReadOnlyList<FrontPoint> Front, string Figure);

public sealed record FrontPoint(string Arch, double ValAcc, IReadOnlyDictionary<string, double> Costs);

/// <summary>
/// What a device-aware search returns from its trials: the best accuracy among the architectures within the budget
/// (of all of them without a budget; the cheapest when none keeps it, flagged), and the Pareto front over accuracy and
/// every cost, drawn as accuracy against the first cost.
/// </summary>
public static class ParetoOutcome
{
    public const string Figure = "pareto.png";

    public static (Trial Best, ParetoSummary Summary) Summarize(IReadOnlyList<Trial> trials, CostObjectives objectives, RunDirectory run)
    {
        // An architecture evaluated twice counts once, with its last result.
        var done = trials.Where(t => t.Status == TrialStatus.Done && t.Metrics is not null)
            .GroupBy(t => t.Architecture).Select(g => g.Last()).ToList();
        if (done.Count == 0) throw new Core.NascentException("Every candidate failed; nothing to return (see failure reasons in trials.db).");
        var primary = objectives.Primary;
        var within = done.Where(t => objectives.WithinBudget(primary.Of(t.Measured))).ToList();
        var best = within.Count > 0 ? within.MaxBy(t => t.Objective)! : done.MinBy(t => primary.Of(t.Measured))!;

        var points = done.Select(t => (IReadOnlyList<double>)objectives.Costs.Select(c => c.Of(t.Measured)).Prepend(t.Objective).ToArray()).ToList();
        var front = NonDominatedSorting.ParetoFront(points, objectives.Objectives())
            .Select(i => done[i]).OrderBy(t => primary.Of(t.Measured))
            .Select(t => new FrontPoint(t.Architecture.ToString(), t.Objective,
                objectives.Costs.ToDictionary(c => c.Name, c => c.Of(t.Measured)))).ToList();
        ParetoPlot.Write(run.File(Figure), done.Select(t => primary.Of(t.Measured)).ToArray(), done.Select(t => t.Objective).ToArray(),
            primary.Objective, title: $"{done.Count} evaluated architectures: accuracy against {primary.Name}");
        return (best, new ParetoSummary(objectives.Costs.Select(c => c.Name).ToArray(), objectives.Budget, within.Count > 0,
            within.Count, front, Figure));
    }
}
