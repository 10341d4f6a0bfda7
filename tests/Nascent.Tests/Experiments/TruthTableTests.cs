using Nascent.Core;
using Nascent.Data;
using Nascent.Evaluation;
using Nascent.Experiments.Truth;
using Nascent.Spaces;
using Nascent.Tests.Data;

namespace Nascent.Tests.Experiments;

[Collection(MnistCollection.Name)]
public sealed class TruthTableTests(MnistFixture mnist)
{
    private static readonly TruthRecipe Tiny = new() { Cells = 3, Seeds = 2, TrainImages = 3000, Channels = 4, SampleSeed = 5 };

    [Fact]
    public void The_draw_takes_one_cell_per_isomorphism_class_and_is_seeded()
    {
        var recipe = new TruthRecipe { Cells = 200 };
        var cells = TruthTable.Draw(recipe);
        Assert.Equal(200, cells.Select(Nb201Space.FunctionKey).Distinct().Count());
        Assert.Equal(cells, TruthTable.Draw(recipe));
        Assert.NotEqual(cells, TruthTable.Draw(recipe with { SampleSeed = 1 }));
    }

    [Fact]
    public void Two_shards_build_one_table_that_a_resume_leaves_alone_and_a_cut_run_is_trained_again()
    {
        using var folder = new TempFolder();
        string table = Path.Combine(folder.Path, "truth.csv");
        TruthTable.Build(table, Tiny, mnist.Splits, shard: 0, shards: 2);
        Assert.False(File.Exists(table) && File.ReadAllLines(table).Length == 4, "one shard alone cannot finish every cell");
        var summary = TruthTable.Build(table, Tiny, mnist.Splits, shard: 1, shards: 2);

        Assert.Equal(3, summary.CellsDone);
        Assert.Equal(6, summary.Runs.Count);
        Assert.NotNull(summary.SeedSpearman);
        var loaded = TabularBenchmark.Load([table], Nb201Space.Instance, [TruthTable.MeanColumn, TruthTable.SeedColumn(0), TruthTable.SeedColumn(1)]);
        Assert.Equal(3, loaded.Count);
        for (int row = 0; row < 3; row++)
        {
            double mean = (loaded.Value(row, loaded.ColumnIndex(TruthTable.SeedColumn(0))) + loaded.Value(row, loaded.ColumnIndex(TruthTable.SeedColumn(1)))) / 2;
            Assert.Equal(mean, loaded.Value(row, loaded.ColumnIndex(TruthTable.MeanColumn)), 3);
            Assert.InRange(mean, 5, 100);
        }

        string before = File.ReadAllText(table);
        var runsFile = Path.Combine(folder.Path, "truth.csv.runs.1.csv");
        var runsBefore = File.ReadAllText(runsFile);
        TruthTable.Build(table, Tiny, mnist.Splits, shard: 1, shards: 2);
        Assert.Equal(runsBefore, File.ReadAllText(runsFile));
        Assert.Equal(before, File.ReadAllText(table));

        // A stop in the middle of writing a line: that run is trained again, on a line of its own.
        var lines = File.ReadAllLines(runsFile);
        File.WriteAllText(runsFile, string.Join("\n", lines[..^1]) + "\n" + lines[^1][..20]);
        var resumed = TruthTable.Build(table, Tiny, mnist.Splits, shard: 1, shards: 2);
        Assert.Equal(6, resumed.Runs.Count);
        Assert.Equal(before, File.ReadAllText(table));
    }

    [Fact]
    public void A_resume_with_another_recipe_is_refused_in_one_line()
    {
        using var folder = new TempFolder();
        string table = Path.Combine(folder.Path, "truth.csv");
        var one = Tiny with { Cells = 3, Seeds = 1 };
        TruthTable.Build(table, one, mnist.Splits);
        var error = Assert.Throws<NascentException>(() => TruthTable.Build(table, one with { Epochs = 2 }, mnist.Splits));
        Assert.Contains("another recipe", error.Message);
        Assert.DoesNotContain("\n", error.Message);
    }
}
