using MathNet.Numerics.Distributions;

namespace Nascent.Analysis;

/// <summary>
/// Welch's two-sample t-test (unequal variances): is the mean of <c>a</c> different from the mean of <c>b</c>?
/// <see cref="Difference"/> is mean(a) - mean(b); <see cref="PValue"/> is two-sided, with Welch-Satterthwaite
/// degrees of freedom.
/// </summary>
public sealed record WelchTTest(double Difference, double T, double DegreesOfFreedom, double PValue)
{
    public static WelchTTest Compare(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count < 2 || b.Count < 2)
            throw new ArgumentException($"Welch's t-test needs at least two values per sample (got {a.Count} and {b.Count}).");
        double difference = Statistics.Mean(a) - Statistics.Mean(b);
        double va = Statistics.Variance(a) / a.Count, vb = Statistics.Variance(b) / b.Count;
        double se2 = va + vb;
        if (se2 == 0)
            // Both samples constant: identical means cannot be told apart, different ones certainly differ.
            return difference == 0
                ? new WelchTTest(0, 0, a.Count + b.Count - 2, 1)
                : new WelchTTest(difference, Math.CopySign(double.PositiveInfinity, difference), a.Count + b.Count - 2, 0);
        double t = difference / Math.Sqrt(se2);
        double df = se2 * se2 / (va * va / (a.Count - 1) + vb * vb / (b.Count - 1));
        return new WelchTTest(difference, t, df, Statistics.StudentTTwoSidedP(t, df));
    }

    /// <summary>The smallest difference of means this two-sided test finds with probability <paramref name="power"/> at
    /// level <paramref name="alpha"/>, for samples of these sizes and standard deviations: (t<sub>1-α/2</sub> +
    /// t<sub>power</sub>) · √(s²ₐ/nₐ + s²ᵦ/nᵦ) on Welch-Satterthwaite degrees of freedom (the normal approximation of
    /// the power of a t-test, with t quantiles for small samples).</summary>
    public static double DetectableDifference(double sdA, int nA, double sdB, int nB, double alpha = 0.05, double power = 0.8)
    {
        if (nA < 2 || nB < 2) throw new ArgumentException($"A detectable difference needs at least two values per sample (got {nA} and {nB}).");
        double va = sdA * sdA / nA, vb = sdB * sdB / nB, se2 = va + vb;
        if (se2 == 0) return 0;
        double df = se2 * se2 / (va * va / (nA - 1) + vb * vb / (nB - 1));
        return (StudentT.InvCDF(0, 1, df, 1 - alpha / 2) + StudentT.InvCDF(0, 1, df, power)) * Math.Sqrt(se2);
    }
}
