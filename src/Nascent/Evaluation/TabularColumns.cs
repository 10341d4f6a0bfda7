namespace Nascent.Evaluation;

/// <summary>
/// Which columns of a tabular benchmark mean what; the user names every one of them, none is hard-coded.
/// <see cref="Objective"/> is maximized (it becomes <see cref="Metrics.Accuracy"/>); <see cref="Report"/> is what a
/// search reports for the architecture it returns (<see cref="Metrics.TestAccuracy"/>); <see cref="Costs"/> are
/// recorded with every trial (<see cref="Metrics.Extra"/>); <see cref="TrainingTime"/>, when named, is the
/// simulated seconds each query costs against a time budget.
/// </summary>
public sealed record TabularColumns(string Objective, string? Report = null, IReadOnlyList<string>? Costs = null,
    string? TrainingTime = null)
{
    public IReadOnlyList<string> CostColumns => Costs ?? [];

    /// <summary>Every named column, each once, objective first.</summary>
    public IReadOnlyList<string> All =>
        new[] { Objective, Report }.Concat(CostColumns).Append(TrainingTime).OfType<string>().Distinct().ToArray();

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Objective))
            throw new NascentException("A table search needs --objective COLUMN: the table column to maximize.");
        foreach (var cost in CostColumns)
            if (string.IsNullOrWhiteSpace(cost)) throw new NascentException("--cost has an empty column name.");
    }
}
