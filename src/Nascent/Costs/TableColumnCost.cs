namespace Nascent.Costs;

/// <summary>A column of a tabular benchmark as a device cost, e.g. <c>hwnb_pixel3_ms</c> (latency measured on a
/// phone) or an energy column. Reading it is not a query: a device cost is measured without training.</summary>
public sealed class TableColumnCost(TabularBenchmark benchmark, string column) : ICostModel
{
    private readonly int _column = benchmark.ColumnIndex(column);

    public string Name { get; } = column;

    public double Of(Architecture architecture) => benchmark.Value(benchmark.RowOf(architecture), _column);
}
