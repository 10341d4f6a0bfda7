using Normal = MathNet.Numerics.Distributions.Normal;

namespace Nascent.Analysis;

/// <summary>
/// The Mann-Whitney U test (two-sided) of whether one sample tends to be larger than another. Exact p-value by
/// enumerating the rank-sum distribution when both samples are small (at most 20 each, without ties); otherwise the
/// normal approximation with tie correction and continuity correction.
/// </summary>
public sealed record MannWhitneyTest(double U, double PValue, bool Exact)
{
    /// <summary>U counts the pairs (x from a, y from b) with x &gt; y, ties counting one half.</summary>
    public static MannWhitneyTest Compare(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        int n1 = a.Count, n2 = b.Count;
        if (n1 == 0 || n2 == 0) throw new ArgumentException("Both samples need at least one value.");
        double u = 0;
        foreach (var x in a)
            foreach (var y in b)
                u += x > y ? 1 : x == y ? 0.5 : 0;
        var all = a.Concat(b).ToArray();
        bool ties = all.Distinct().Count() < all.Length;
        if (!ties && n1 <= 20 && n2 <= 20) return new MannWhitneyTest(u, ExactP(u, n1, n2), true);

        double mean = n1 * (double)n2 / 2;
        int n = n1 + n2;
        double tieTerm = all.GroupBy(v => v).Sum(g => Math.Pow(g.Count(), 3) - g.Count());
        double variance = n1 * (double)n2 / 12 * (n + 1 - tieTerm / (n * (double)(n - 1)));
        if (variance <= 0) return new MannWhitneyTest(u, 1.0, false);
        double z = (Math.Abs(u - mean) - 0.5) / Math.Sqrt(variance);
        // Twice the upper normal tail, read as the lower tail at -z so that a tiny p is not lost to 1 - CDF.
        double p = Math.Min(1.0, 2 * Normal.CDF(0, 1, -Math.Max(0, z)));
        return new MannWhitneyTest(u, p, false);
    }

    /// <summary>Two-sided exact p: P(|U - mean| &gt;= |u - mean|) under the null, by counting the ways to reach
    /// each U with n1 values among n1 + n2 distinct ranks.</summary>
    private static double ExactP(double u, int n1, int n2)
    {
        // ways[i, j][k]: arrangements of i values of a and j of b with U = k.
        int max = n1 * n2;
        var previous = new double[n2 + 1][];
        for (int j = 0; j <= n2; j++) { previous[j] = new double[max + 1]; previous[j][0] = 1; }
        for (int i = 1; i <= n1; i++)
        {
            var current = new double[n2 + 1][];
            current[0] = new double[max + 1];
            current[0][0] = 1;
            for (int j = 1; j <= n2; j++)
            {
                current[j] = new double[max + 1];
                // The largest of the i + j values is from a (adds j to U) or from b (adds nothing).
                for (int k = 0; k <= max; k++)
                    current[j][k] = (k >= j ? previous[j][k - j] : 0) + current[j - 1][k];
            }
            previous = current;
        }
        var counts = previous[n2];
        double total = counts.Sum(), mean = max / 2.0, distance = Math.Abs(u - mean), extreme = 0;
        for (int k = 0; k <= max; k++)
            if (Math.Abs(k - mean) >= distance - 1e-9) extreme += counts[k];
        return Math.Min(1.0, extreme / total);
    }
}
