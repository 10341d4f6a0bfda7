using Nascent.Core;
using Nascent.Evaluation;
using Nascent.Spaces;
using Nascent.Tests.Data;

namespace Nascent.Tests.Tabular;

public sealed class TabularBenchmarkTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private static readonly Nb201Space Space = Nb201Space.Instance;
    private static readonly string A0 = TableFiles.Nb201(0).ToString(), A1 = TableFiles.Nb201(1).ToString(),
        A2 = TableFiles.Nb201(2).ToString(), A3 = TableFiles.Nb201(3).ToString();

    public void Dispose() => _temp.Dispose();

    private string Write(string name, string content) => TableFiles.Write(_temp.Path, name, content);

    private string Accuracy() => Write("acc.csv", $"index,arch,note,val,test\n0,{A0},x,80.5,81\n1,{A1},y,90.25,91\n2,{A2},z,70,72.5\n");

    private NascentException Fails(IReadOnlyList<string> files, params string[] columns) =>
        Assert.Throws<NascentException>(() => TabularBenchmark.Load(files, Space, columns));

    [Fact]
    public void Loads_named_columns_and_finds_rows_by_architecture()
    {
        var table = TabularBenchmark.Load([Accuracy()], Space, ["val", "test"]);
        Assert.Equal(3, table.Count);
        Assert.Equal(["val", "test"], table.Columns);
        Assert.Equal(90.25, table.Value(TableFiles.Nb201(1), "val"));
        Assert.Equal(72.5, table.Value(TableFiles.Nb201(2), "test"));
        Assert.False(table.TryGetRow(TableFiles.Nb201(3), out _));
        Assert.False(table.CoversSpace);
        Assert.Equal("acc.csv", table.Description);
    }

    [Fact]
    public void Joins_a_second_file_on_the_architecture_whatever_its_row_order()
    {
        var latency = Write("lat.csv", $"arch,ms\n{A2},3.5\n{A0},1.5\n{A1},2.5\n");
        var table = TabularBenchmark.Load([Accuracy(), latency], Space, ["val", "ms"]);
        Assert.Equal(1.5, table.Value(TableFiles.Nb201(0), "ms"));
        Assert.Equal(2.5, table.Value(TableFiles.Nb201(1), "ms"));
        Assert.Equal(3.5, table.Value(TableFiles.Nb201(2), "ms"));
        Assert.Equal("acc.csv + lat.csv", table.Description);
    }

    [Fact]
    public void Joins_a_file_without_arch_on_the_index_column()
    {
        var twelve = Write("12ep.csv", "index,val12\n2,60\n0,50\n1,55\n");
        var table = TabularBenchmark.Load([Accuracy(), twelve], Space, ["val12", "val"]);
        Assert.Equal(50, table.Value(TableFiles.Nb201(0), "val12"));
        Assert.Equal(60, table.Value(TableFiles.Nb201(2), "val12"));
    }

    [Fact]
    public void Reads_quoted_cells_a_byte_order_mark_crlf_and_blank_lines()
    {
        var path = Write("q.csv", $"\uFEFFarch,\"val\"\r\n\"{A0}\",\"1e1\"\r\n\r\n{A1}, 2.5 \r\n");
        var table = TabularBenchmark.Load([path], Space, ["val"]);
        Assert.Equal(10, table.Value(TableFiles.Nb201(0), "val"));
        Assert.Equal(2.5, table.Value(TableFiles.Nb201(1), "val"));
    }

    [Fact]
    public void A_missing_column_names_the_files_and_their_columns()
    {
        var latency = Write("lat.csv", $"arch,ms\n{A0},1\n{A1},2\n{A2},3\n");
        var e = Fails([Accuracy(), latency], "val", "cifar10_val_acc");
        Assert.Contains("No column 'cifar10_val_acc'", e.Message);
        Assert.Contains("acc.csv line 1 (columns: index, arch, note, val, test)", e.Message);
        Assert.Contains("lat.csv line 1 (columns: arch, ms)", e.Message);
    }

    [Fact]
    public void The_first_file_needs_an_arch_column()
    {
        var e = Fails([Write("noarch.csv", "index,val\n0,1\n")], "val");
        Assert.Contains("noarch.csv line 1: no 'arch' column (columns: index, val)", e.Message);
    }

    [Fact]
    public void A_duplicate_architecture_names_both_lines()
    {
        var e = Fails([Write("dup.csv", $"arch,val\n{A0},1\n{A1},2\n{A0},3\n")], "val");
        Assert.Contains($"dup.csv line 4, column 'arch': architecture {A0} appears twice (first on line 2)", e.Message);
    }

    [Fact]
    public void An_architecture_that_does_not_parse_names_file_line_and_column()
    {
        var e = Fails([Write("bad.csv", $"arch,val\n{A0},1\n|conv_7x7~0|+|none~0|none~1|+|none~0|none~1|none~2|,2\n")], "val");
        Assert.Contains("bad.csv line 3, column 'arch'", e.Message);
        Assert.Contains("unknown operation 'conv_7x7'", e.Message);
    }

    [Fact]
    public void A_further_file_with_an_unknown_architecture_is_refused()
    {
        var latency = Write("lat.csv", $"arch,ms\n{A0},1\n{A1},2\n{A3},3\n{A2},4\n");
        var e = Fails([Accuracy(), latency], "ms");
        Assert.Contains($"lat.csv line 4, column 'arch': architecture {A3} is not in", e.Message);
    }

    [Fact]
    public void A_further_file_missing_an_architecture_is_refused()
    {
        var latency = Write("lat.csv", $"arch,ms\n{A0},1\n{A2},3\n");
        var e = Fails([Accuracy(), latency], "ms");
        Assert.Contains($"lat.csv has no row for architecture {A1} (line 3 of", e.Message);
    }

    [Fact]
    public void A_further_file_repeating_an_architecture_is_refused()
    {
        var latency = Write("lat.csv", $"arch,ms\n{A0},1\n{A1},2\n{A2},3\n{A1},4\n");
        var e = Fails([Accuracy(), latency], "ms");
        Assert.Contains($"lat.csv line 5, column 'arch': architecture {A1} appears twice (first on line 3)", e.Message);
    }

    [Fact]
    public void A_further_file_joined_on_index_with_an_unknown_index_is_refused()
    {
        var e = Fails([Accuracy(), Write("12ep.csv", "index,v\n0,1\n1,2\n7,3\n")], "v");
        Assert.Contains("12ep.csv line 4, column 'index': index '7' is not in", e.Message);
    }

    [Fact]
    public void A_further_file_with_neither_arch_nor_index_is_refused()
    {
        var e = Fails([Accuracy(), Write("other.csv", "id,v\n0,1\n")], "v");
        Assert.Contains("other.csv line 1: no 'arch' column to join on (columns: id, v)", e.Message);
    }

    [Theory]
    [InlineData("abc", "'abc' is not a finite number")]
    [InlineData("", "the cell is empty")]
    [InlineData("NaN", "'NaN' is not a finite number")]
    [InlineData("1,5", "3 cells, but the header has 2 columns")]
    public void A_bad_cell_names_file_line_and_column(string cell, string why)
    {
        var e = Fails([Write("cells.csv", $"arch,val\n{A0},1\n{A1},{cell}\n")], "val");
        Assert.Contains("cells.csv line 3", e.Message);
        Assert.Contains(why, e.Message);
        if (!cell.Contains(',')) Assert.Contains("column 'val'", e.Message);
    }

    [Fact]
    public void Cells_of_unnamed_columns_are_not_read_as_numbers()
    {
        // 'note' holds text; it is fine as long as nobody names it.
        Assert.Equal(3, TabularBenchmark.Load([Accuracy()], Space, ["val"]).Count);
        var e = Fails([Accuracy()], "note");
        Assert.Contains("acc.csv line 2, column 'note': 'x' is not a finite number", e.Message);
    }

    [Fact]
    public void Missing_and_empty_files_say_so()
    {
        Assert.Contains("not found", Fails([Path.Combine(_temp.Path, "nope.csv")], "val").Message);
        Assert.Contains("is empty", Fails([Write("empty.csv", "")], "val").Message);
        Assert.Contains("has a header but no rows", Fails([Write("header.csv", "arch,val\n")], "val").Message);
        Assert.Contains("column 'val' is named twice", Fails([Write("twice.csv", $"arch,val,val\n{A0},1,2\n")], "val").Message);
    }

    [Fact]
    public void Evaluator_looks_up_counts_queries_and_adds_costs()
    {
        var latency = Write("lat.csv", $"arch,ms,hours\n{A0},1.5,2\n{A1},2.5,3\n{A2},3.5,4\n");
        var table = TabularBenchmark.Load([Accuracy(), latency], Space, new TabularColumns("val", "test", ["ms"], "hours").All);
        var evaluator = new TabularEvaluator(table, new TabularColumns("val", "test", ["ms"], "hours"), timeBudgetSeconds: 6);
        var m = evaluator.Evaluate(TableFiles.Nb201(1));
        Assert.Equal(90.25, m.Accuracy);
        Assert.Equal(91, m.TestAccuracy);
        Assert.Equal(2.5, m.Extra["ms"]);
        Assert.False(evaluator.BudgetSpent);
        evaluator.Evaluate(TableFiles.Nb201(1)); // a repeat costs a query too
        Assert.Equal(2, evaluator.Queries);
        Assert.Equal(6, evaluator.SimulatedSeconds);
        Assert.True(evaluator.BudgetSpent);
        var e = Assert.Throws<NascentException>(() => evaluator.Evaluate(TableFiles.Nb201(3)));
        Assert.Contains("is not in the table acc.csv + lat.csv (3 of the 15,625 architectures", e.Message);
    }

    [Fact]
    public void Evaluator_without_report_or_costs()
    {
        var table = TabularBenchmark.Load([Accuracy()], Space, ["test"]);
        var m = new TabularEvaluator(table, new TabularColumns("test")).Evaluate(TableFiles.Nb201(2));
        Assert.Equal(72.5, m.Accuracy);
        Assert.Null(m.TestAccuracy);
        Assert.Empty(m.Extra);
        Assert.Throws<NascentException>(() => new TabularEvaluator(table, new TabularColumns("val")));
    }
}
