using MathNetCorrelation = MathNet.Numerics.Statistics.Correlation;

namespace Nascent.Analysis;

/// <summary>
/// Pearson, Spearman (both from MathNet.Numerics) and Kendall correlation, and bootstrap percentile intervals for them:
/// the pairs are resampled with replacement (keeping each x with its y), the coefficient recomputed on every resample,
/// and the interval read from the resampled coefficients' quantiles (<see cref="Statistics.Quantile"/>).
/// </summary>
public static class Correlation
{
    public const int DefaultResamples = 1000;

    /// <summary>Pearson's r; NaN for fewer than two pairs or when either variable is constant.</summary>
    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        CheckLengths(x, y);
        // MathNet gives 0/0 = NaN for a constant variable or a single pair; the clamp removes rounding past ±1.
        return x.Count < 2 ? double.NaN : Math.Clamp(MathNetCorrelation.Pearson(x, y), -1, 1);
    }

    /// <summary>Spearman's ρ: Pearson's r of the ranks, tied values sharing their average rank.</summary>
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        CheckLengths(x, y);
        return x.Count < 2 ? double.NaN : Math.Clamp(MathNetCorrelation.Spearman(x, y), -1, 1);
    }

    /// <summary>Kendall's τ-b (ties in either variable corrected for); NaN for fewer than two pairs or a constant
    /// variable. Quadratic in the number of pairs: meant for a few thousand.</summary>
    public static double Kendall(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        CheckLengths(x, y);
        long concordant = 0, discordant = 0, tiedX = 0, tiedY = 0;
        for (int i = 0; i < x.Count; i++)
            for (int j = i + 1; j < x.Count; j++)
            {
                int sx = Math.Sign(x[i] - x[j]), sy = Math.Sign(y[i] - y[j]);
                if (sx == 0 && sy == 0) continue;
                if (sx == 0) tiedX++;
                else if (sy == 0) tiedY++;
                else if (sx == sy) concordant++;
                else discordant++;
            }
        double denominator = Math.Sqrt((double)(concordant + discordant + tiedX) * (concordant + discordant + tiedY));
        return denominator == 0 ? double.NaN : (concordant - discordant) / denominator;
    }

    public static CorrelationEstimate PearsonWithInterval(IReadOnlyList<double> x, IReadOnlyList<double> y, SeededRandom random,
        int resamples = DefaultResamples, double level = 0.95) => WithInterval(Pearson, x, y, random, resamples, level);

    /// <summary>Spearman's ρ with its interval; every resample is ranked afresh.</summary>
    public static CorrelationEstimate SpearmanWithInterval(IReadOnlyList<double> x, IReadOnlyList<double> y, SeededRandom random,
        int resamples = DefaultResamples, double level = 0.95) => WithInterval(Spearman, x, y, random, resamples, level);

    /// <summary>A statistic of paired data with its bootstrap percentile interval at <paramref name="level"/>.
    /// The interval is NaN when the estimate is, or when fewer than half the resamples give a finite value.</summary>
    public static CorrelationEstimate WithInterval(Func<IReadOnlyList<double>, IReadOnlyList<double>, double> statistic,
        IReadOnlyList<double> x, IReadOnlyList<double> y, SeededRandom random, int resamples = DefaultResamples, double level = 0.95)
    {
        CheckLengths(x, y);
        if (resamples < 1) throw new ArgumentOutOfRangeException(nameof(resamples), resamples, "Resamples must be at least 1.");
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "The level must lie in (0, 1).");
        int n = x.Count;
        double value = statistic(x, y);
        if (double.IsNaN(value) || n < 3) return new CorrelationEstimate(value, double.NaN, double.NaN, n);
        var xs = new double[n];
        var ys = new double[n];
        var values = new List<double>(resamples);
        for (int r = 0; r < resamples; r++)
        {
            for (int i = 0; i < n; i++)
            {
                int k = random.Next(n);
                xs[i] = x[k];
                ys[i] = y[k];
            }
            double v = statistic(xs, ys);
            if (double.IsFinite(v)) values.Add(v);
        }
        if (values.Count * 2 < resamples) return new CorrelationEstimate(value, double.NaN, double.NaN, n);
        double tail = (1 - level) / 2;
        return new CorrelationEstimate(value, Statistics.Quantile(values, tail), Statistics.Quantile(values, 1 - tail), n);
    }

    private static void CheckLengths(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ArgumentException($"Paired data of different lengths ({x.Count} and {y.Count}).");
    }
}
