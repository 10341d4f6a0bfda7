using Nascent.Core;

namespace Nascent.Analysis;

/// <summary>
/// Pearson, Spearman and Kendall correlation, and bootstrap percentile intervals for them: the pairs are resampled with
/// replacement (keeping each x with its y), the coefficient recomputed on every resample, and the interval read from
/// the resampled coefficients' quantiles.
/// </summary>
public static class Correlation
{
    public const int DefaultResamples = 1000;

    /// <summary>Pearson's r; NaN for fewer than two pairs or when either variable is constant.</summary>
    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        CheckLengths(x, y);
        int n = x.Count;
        if (n < 2) return double.NaN;
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
        mx /= n; my /= n;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++)
        {
            double dx = x[i] - mx, dy = y[i] - my;
            sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
        }
        if (sxx == 0 || syy == 0) return double.NaN;
        return Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1);
    }

    /// <summary>Spearman's ρ: Pearson's r of the ranks, tied values sharing their average rank.</summary>
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        CheckLengths(x, y);
        return Pearson(Ranks(x), Ranks(y));
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

    /// <summary>Ranks 1..n; tied values get the mean of the ranks they span.</summary>
    public static double[] Ranks(IReadOnlyList<double> values)
    {
        int n = values.Count;
        var keys = values.ToArray();
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Array.Sort(keys, order);
        var ranks = new double[n];
        for (int start = 0; start < n;)
        {
            int end = start;
            while (end + 1 < n && keys[end + 1] == keys[start]) end++;
            double rank = (start + end) / 2.0 + 1;
            for (int k = start; k <= end; k++) ranks[order[k]] = rank;
            start = end + 1;
        }
        return ranks;
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
        values.Sort();
        double tail = (1 - level) / 2;
        return new CorrelationEstimate(value, Quantile(values, tail), Quantile(values, 1 - tail), n);
    }

    /// <summary>The q-quantile of sorted values, interpolating linearly between order statistics.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) return double.NaN;
        double position = q * (sorted.Count - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    private static void CheckLengths(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ArgumentException($"Paired data of different lengths ({x.Count} and {y.Count}).");
    }
}
