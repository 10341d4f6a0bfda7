using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;
using MathNetStatistics = MathNet.Numerics.Statistics.Statistics;

namespace Nascent.Analysis;

/// <summary>
/// The few statistics the benchmarks need, on top of MathNet.Numerics: sample mean, standard deviation and variance,
/// quantiles, and the two-sided p-value of Student's t. Every function here throws an <see cref="ArgumentException"/>
/// on no values (MathNet itself would return NaN).
/// </summary>
public static class Statistics
{
    public static double Mean(IReadOnlyList<double> values)
    {
        RequireValues(values, "mean");
        return MathNetStatistics.Mean(values);
    }

    /// <summary>The median (the mean of the two middle values for an even count).</summary>
    public static double Median(IReadOnlyList<double> values) => Quantile(values, 0.5);

    /// <summary>The <paramref name="q"/>-quantile (0 ≤ q ≤ 1), interpolated linearly between the sorted values:
    /// R's type 7 (the default of R and of numpy), position q (n - 1) in the 0-based sorted values. The values need
    /// not be sorted.</summary>
    public static double Quantile(IReadOnlyList<double> values, double q)
    {
        RequireValues(values, "quantile");
        if (!(q >= 0 && q <= 1)) throw new ArgumentOutOfRangeException(nameof(q), q, "A quantile needs 0 <= q <= 1.");
        return MathNetStatistics.QuantileCustom(values, q, QuantileDefinition.R7);
    }

    /// <summary>Sample standard deviation (divisor n - 1); 0 for a single value.</summary>
    public static double StandardDeviation(IReadOnlyList<double> values) => Math.Sqrt(Variance(values));

    /// <summary>Sample variance (divisor n - 1); 0 for a single value.</summary>
    public static double Variance(IReadOnlyList<double> values)
    {
        RequireValues(values, "variance");
        return values.Count < 2 ? 0 : MathNetStatistics.Variance(values);
    }

    /// <summary>P(|T| ≥ |t|) for Student's t with <paramref name="degreesOfFreedom"/> (&gt; 0, need not be whole):
    /// the two-sided p-value of a t statistic. Twice the lower tail, I_x(ν/2, 1/2) with x = ν / (ν + t²), so a tiny
    /// p-value keeps its relative precision instead of being rounded to zero by 1 - CDF.</summary>
    public static double StudentTTwoSidedP(double t, double degreesOfFreedom)
    {
        if (!(degreesOfFreedom > 0)) throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom), degreesOfFreedom, "Degrees of freedom must be > 0.");
        if (double.IsNaN(t)) return double.NaN;
        return 2 * StudentT.CDF(0, 1, degreesOfFreedom, -Math.Abs(t));
    }

    private static void RequireValues(IReadOnlyList<double> values, string statistic)
    {
        if (values.Count == 0) throw new ArgumentException($"The {statistic} of no values is undefined.", nameof(values));
    }
}
