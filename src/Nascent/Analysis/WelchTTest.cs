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
}
