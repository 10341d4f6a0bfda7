namespace Nascent.Experiments;

/// <summary>A search over a tabular benchmark (each trial a lookup): the CSV files, the column to maximise and the one
/// to report, and the budget; shared by search and bench.</summary>
public sealed record TableSettings
{
    /// <summary>CSV files with an arch column and metric columns, joined on the architecture.</summary>
    [Setting("a CSV with an 'arch' column and metric columns; repeat to join more files (on 'arch', or on 'index' when a file has no 'arch')")]
    public IReadOnlyList<string> Tables { get; init; } = [];
    [Setting("table column to maximize (reported as best.val_acc)")]
    public string? Objective { get; init; }
    [Setting("table column reported for the best architecture (best.test_acc)")]
    public string? Report { get; init; }
    /// <summary>Table column of simulated training seconds per query; with <see cref="TimeBudget"/> it ends the run.</summary>
    [Setting("table column of simulated training seconds per query")]
    public string? TimeColumn { get; init; }
    [Setting("stop once this many simulated training seconds are spent", Min = 0, MinExclusive = true)]
    public double? TimeBudget { get; init; }
    [Setting("table lookups (trials)", Min = 1)]
    public int Queries { get; init; } = 150;

    public TabularColumns Columns(IReadOnlyList<string>? costs) => new(Objective ?? "", Report, costs, TimeColumn);

    public IReadOnlyList<string> FullPaths() => Tables.Select(Path.GetFullPath).ToArray();

    public void Validate(IReadOnlyList<string>? costs)
    {
        Settings.Validate(this);
        if (Tables.Count == 0) throw new NascentException("A tabular search needs --table FILE.csv (repeat it to join tables).");
        Columns(costs).Validate();
        if (TimeBudget is not null && TimeColumn is null)
            throw new NascentException("--time-budget needs --time-column COLUMN: the table column of simulated training seconds.");
    }
}
