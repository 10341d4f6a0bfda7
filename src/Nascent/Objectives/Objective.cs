namespace Nascent.Objectives;

/// <summary>
/// One thing a multi-objective search scores, with its direction and its unit (for axis labels and reports).
/// The Pareto tools compare points by turning every objective into one to minimise (<see cref="ToMinimized"/>).
/// </summary>
public sealed record Objective(string Name, Direction Direction, string Unit)
{
    public static Objective Accuracy { get; } = new("accuracy", Direction.Maximize, "%");
    public static Objective LatencyMs { get; } = new("latency", Direction.Minimize, "ms");
    public static Objective ParamsMillions { get; } = new("parameters", Direction.Minimize, "millions");
    public static Objective MFlops { get; } = new("FLOPs", Direction.Minimize, "millions of multiply-accumulates");
    public static Objective EnergyMillijoules { get; } = new("energy", Direction.Minimize, "mJ");

    public bool IsMaximized => Direction == Direction.Maximize;

    /// <summary>"latency (ms)"; just the name when there is no unit.</summary>
    public string AxisLabel => string.IsNullOrEmpty(Unit) ? Name : $"{Name} ({Unit})";

    /// <summary>The value as a quantity to minimise: negated when more is better.</summary>
    public double ToMinimized(double value) => IsMaximized ? -value : value;

    /// <summary>True when <paramref name="a"/> is strictly better than <paramref name="b"/>.</summary>
    public bool IsBetter(double a, double b) => ToMinimized(a) < ToMinimized(b);

    /// <summary>The points as rows to minimise, one column per objective; every row must have one finite value
    /// per objective.</summary>
    internal static double[][] Minimized(IReadOnlyList<IReadOnlyList<double>> points, IReadOnlyList<Objective> objectives)
    {
        if (objectives.Count == 0) throw new ArgumentException("At least one objective is needed.", nameof(objectives));
        var rows = new double[points.Count][];
        for (int i = 0; i < points.Count; i++)
        {
            var point = points[i];
            if (point.Count != objectives.Count)
                throw new ArgumentException($"Point {i} has {point.Count} values for {objectives.Count} objectives.", nameof(points));
            rows[i] = new double[objectives.Count];
            for (int k = 0; k < objectives.Count; k++)
            {
                if (!double.IsFinite(point[k]))
                    throw new ArgumentException($"Point {i} has {point[k]} for {objectives[k].Name}; only finite values compare.", nameof(points));
                rows[i][k] = objectives[k].ToMinimized(point[k]);
            }
        }
        return rows;
    }
}
