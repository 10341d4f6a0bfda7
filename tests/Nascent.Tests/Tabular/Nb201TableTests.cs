using Nascent.Evaluation;
using Nascent.Spaces;

namespace Nascent.Tests.Tabular;

/// <summary>The real NAS-Bench-201 tables (skipped, visibly, when they are not beside the repository).</summary>
public sealed class Nb201TableTests
{
    [Nb201Fact]
    public void Accuracy_table_has_every_cell_and_the_documented_maxima()
    {
        var space = Nb201Space.Instance;
        var table = TabularBenchmark.Load([Nb201Data.Accuracy], space, ["index", "cifar10_val_acc", "cifar10_test_acc", "cifar100_val_acc"]);
        Assert.Equal(15625, table.Count);
        Assert.True(table.CoversSpace);
        Assert.Equal(15625, table.Architectures.Distinct().Count());

        int ArgMax(string column)
        {
            var values = table.ColumnValues(column);
            int best = 0;
            for (int i = 1; i < values.Count; i++) if (values[i] > values[best]) best = i;
            return best;
        }
        double IndexOf(int row) => table.Value(row, table.ColumnIndex("index"));

        int bestVal = ArgMax("cifar10_val_acc");
        Assert.Equal(91.6067, table.Value(bestVal, table.ColumnIndex("cifar10_val_acc")), 4);
        Assert.Equal(6111, IndexOf(bestVal));
        Assert.Equal(94.3733, table.Value(bestVal, table.ColumnIndex("cifar10_test_acc")), 4);
        Assert.Equal(94.3733, table.ColumnValues("cifar10_test_acc").Max(), 4);
        var bestTestRows = Enumerable.Range(0, table.Count)
            .Where(r => Math.Abs(table.Value(r, table.ColumnIndex("cifar10_test_acc")) - 94.3733) < 5e-5).Select(IndexOf);
        Assert.Equal([6111.0, 13714.0], bestTestRows);
        int bestC100 = ArgMax("cifar100_val_acc");
        Assert.Equal(73.4933, table.Value(bestC100, table.ColumnIndex("cifar100_val_acc")), 4);
        Assert.Equal(9930, IndexOf(bestC100));

        // The ResNet-like cell (index 11472): 90.86 val / 93.91 test.
        var resnet = space.Parse("|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|skip_connect~2|");
        Assert.Equal(11472, table.Value(resnet, "index"));
        Assert.Equal(90.86, table.Value(resnet, "cifar10_val_acc"), 2);
        Assert.Equal(93.91, table.Value(resnet, "cifar10_test_acc"), 2);
    }

    [Nb201Fact]
    public void Latency_and_twelve_epoch_tables_join_the_accuracy_table()
    {
        var table = TabularBenchmark.Load([Nb201Data.Accuracy, Nb201Data.Latency, Nb201Data.TwelveEpoch], Nb201Space.Instance,
            ["cifar10_val_acc", "hwnb_pixel3_ms", "cifar10_test_acc_12ep"]);
        Assert.Equal(15625, table.Count);
        Assert.Equal(89.16, table.ColumnValues("cifar10_test_acc_12ep").Max(), 2);
        Assert.All(table.ColumnValues("hwnb_pixel3_ms"), ms => Assert.True(ms >= 0));
        // Index 0 in both files: the latency row carries the same architecture string as the accuracy row.
        var first = Nb201Space.Instance.Parse("|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|");
        Assert.Equal(3.60585, table.Value(first, "hwnb_pixel3_ms"), 5);
    }
}
