using Nascent.Analysis;
using Nascent.Core;

namespace Nascent.Tests.Analysis;

public sealed class CorrelationTests
{
    private static readonly double[] X = [1, 2, 3, 4, 5];
    private static readonly double[] Y = [2, 4, 5, 4, 5];

    [Fact]
    public void Pearson_and_spearman_on_known_data()
    {
        Assert.Equal(6 / Math.Sqrt(60), Correlation.Pearson(X, Y), 12);           // 0.7746
        Assert.Equal(7 / Math.Sqrt(90), Correlation.Spearman(X, Y), 12);          // ranks of Y: 1, 2.5, 4.5, 2.5, 4.5
        Assert.Equal(1.0, Correlation.Pearson(X, X.Select(v => 2 * v + 1).ToArray()), 12);
        Assert.Equal(-1.0, Correlation.Pearson(X, X.Select(v => -v).ToArray()), 12);
        Assert.Equal(1.0, Correlation.Spearman(X, X.Select(v => Math.Exp(v)).ToArray()), 12); // monotone, not linear
        Assert.True(Correlation.Pearson(X, X.Select(v => Math.Exp(v)).ToArray()) < 0.95);
        Assert.True(double.IsNaN(Correlation.Pearson(X, [3, 3, 3, 3, 3])));      // a constant has no correlation
    }

    [Fact]
    public void Kendall_tau_b_on_known_data()
    {
        // 7 concordant, 1 discordant, 2 pairs tied in Y only: (7 - 1) / sqrt(10 * 8) (scipy.stats.kendalltau: 0.6708).
        Assert.Equal(6 / Math.Sqrt(80), Correlation.Kendall(X, Y), 12);
        Assert.Equal(1.0, Correlation.Kendall(X, X.Select(v => Math.Exp(v)).ToArray()), 12);
        Assert.Equal(-1.0, Correlation.Kendall(X, X.Select(v => -v).ToArray()), 12);
        Assert.True(double.IsNaN(Correlation.Kendall(X, [3, 3, 3, 3, 3])));
    }

    [Fact]
    public void Spearman_gives_tied_values_their_average_rank()
    {
        // Ranks of x: 1, 2.5, 2.5, 4, 5, 6; of y: 2, 1, 4, 4, 4, 6; Pearson's r of those ranks, in exact fractions: 13 / sqrt(17 * 15.5).
        double[] x = [10, 20, 20, 30, 40, 50], y = [3, 1, 7, 7, 7, 9];
        Assert.Equal(13 / Math.Sqrt(17 * 15.5), Correlation.Spearman(x, y), 12);
        Assert.Equal(1.0, Correlation.Spearman([1, 2, 2, 3], [5, 6, 6, 8]), 12);
    }

    [Fact]
    public void Too_few_pairs_give_NaN_and_unequal_lengths_are_refused()
    {
        Assert.True(double.IsNaN(Correlation.Pearson([], [])));
        Assert.True(double.IsNaN(Correlation.Pearson([1.0], [2.0])));
        Assert.True(double.IsNaN(Correlation.Spearman([1.0], [2.0])));
        Assert.True(double.IsNaN(Correlation.Spearman(X, [3, 3, 3, 3, 3])));
        Assert.Throws<ArgumentException>(() => Correlation.Pearson([1.0, 2.0], [1.0]));
        Assert.Throws<ArgumentException>(() => Correlation.Spearman([1.0, 2.0], [1.0]));
    }

    [Fact]
    public void Bootstrap_interval_contains_the_estimate_and_narrows_with_more_pairs()
    {
        var random = new SeededRandom(5);
        double Noise() => random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5;
        (double[] x, double[] y) Data(int n)
        {
            var x = Enumerable.Range(0, n).Select(_ => Noise()).ToArray();
            return (x, x.Select(v => v + Noise()).ToArray());
        }
        var (x1, y1) = Data(60);
        var (x2, y2) = Data(600);
        foreach (var estimate in new[]
        {
            Correlation.PearsonWithInterval(x1, y1, random, 500), Correlation.SpearmanWithInterval(x1, y1, random, 500),
        })
        {
            Assert.InRange(estimate.Value, estimate.Low, estimate.High);
            Assert.True(estimate.Low < estimate.High);
            Assert.Equal(60, estimate.Count);
        }
        var small = Correlation.PearsonWithInterval(x1, y1, random, 500);
        var large = Correlation.PearsonWithInterval(x2, y2, random, 500);
        Assert.InRange(large.Value, large.Low, large.High);
        Assert.True(large.High - large.Low < small.High - small.Low);
        Assert.InRange(large.Value, 0.55, 0.85); // y = x + noise of equal variance: r = 1/sqrt(2)
    }

    [Fact]
    public void The_same_seed_gives_the_same_interval()
    {
        var a = Correlation.SpearmanWithInterval(X, Y, new SeededRandom(9), 200);
        var b = Correlation.SpearmanWithInterval(X, Y, new SeededRandom(9), 200);
        Assert.Equal(a, b);
    }
}
