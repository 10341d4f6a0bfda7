namespace Nascent.Evaluation;

/// <summary>
/// Answers each query by a lookup in a <see cref="TabularBenchmark"/>: the objective column as the accuracy, the
/// report column as the test accuracy, cost columns as extra metrics. It counts queries and, when a training-time
/// column is named, adds each query's simulated training time to <see cref="SimulatedSeconds"/>, so a run can stop
/// on a simulated time budget as the NAS-Bench-201 paper's searches do. One evaluator per run (not thread-safe);
/// the table may be shared.
/// </summary>
public sealed class TabularEvaluator : IEvaluator
{
    private static readonly IReadOnlyDictionary<string, double> NoCosts = new Dictionary<string, double>();
    private readonly int _objective;
    private readonly int _report = -1;
    private readonly int _time = -1;
    private readonly (string Name, int Column)[] _costs;

    public TabularEvaluator(TabularBenchmark benchmark, TabularColumns columns, double? timeBudgetSeconds = null)
    {
        columns.Validate();
        if (timeBudgetSeconds is not null && columns.TrainingTime is null)
            throw new ArgumentException("A simulated time budget needs a training-time column.", nameof(timeBudgetSeconds));
        Benchmark = benchmark;
        Columns = columns;
        TimeBudgetSeconds = timeBudgetSeconds;
        _objective = benchmark.ColumnIndex(columns.Objective);
        if (columns.Report is not null) _report = benchmark.ColumnIndex(columns.Report);
        if (columns.TrainingTime is not null) _time = benchmark.ColumnIndex(columns.TrainingTime);
        _costs = columns.CostColumns.Select(c => (c, benchmark.ColumnIndex(c))).ToArray();
    }

    public TabularBenchmark Benchmark { get; }
    public TabularColumns Columns { get; }

    /// <summary>Queries answered so far (repeats included: each costs a query).</summary>
    public int Queries { get; private set; }

    /// <summary>Sum of the training-time column over the queries (0 without such a column).</summary>
    public double SimulatedSeconds { get; private set; }

    public double? TimeBudgetSeconds { get; }

    /// <summary>True once the simulated training time has reached the budget (never without a budget).</summary>
    public bool BudgetSpent => TimeBudgetSeconds is { } budget && SimulatedSeconds >= budget;

    public Metrics Evaluate(Architecture architecture, CancellationToken cancellation = default)
    {
        int row = Count(architecture);
        IReadOnlyDictionary<string, double> costs = NoCosts;
        if (_costs.Length > 0)
        {
            var extra = new Dictionary<string, double>(_costs.Length);
            foreach (var (name, column) in _costs) extra[name] = Benchmark.Value(row, column);
            costs = extra;
        }
        return new Metrics(Benchmark.Value(row, _objective), TestAccuracy: _report >= 0 ? Benchmark.Value(row, _report) : null)
        {
            Extra = costs,
        };
    }

    public void Recount(Architecture architecture) => Count(architecture);

    private int Count(Architecture architecture)
    {
        int row = Benchmark.RowOf(architecture);
        Queries++;
        if (_time >= 0) SimulatedSeconds += Benchmark.Value(row, _time);
        return row;
    }
}
