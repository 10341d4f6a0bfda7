using System.Diagnostics;

namespace Nascent.Bench;

/// <summary>Small timing helpers: medians, and wall time of an action in milliseconds.</summary>
internal static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0) throw new ArgumentException("No values.");
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
    }

    /// <summary>Geometric mean: the fair average of ratios.</summary>
    public static double GeometricMean(IEnumerable<double> ratios)
    {
        var list = ratios.ToArray();
        return Math.Exp(list.Sum(Math.Log) / list.Length);
    }

    public static double Milliseconds(Action action)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
