namespace Nascent.Objectives;

/// <summary>
/// A cost a multi-objective search trades against accuracy, read from a trial's <see cref="Metrics"/> by name:
/// <c>latency</c> (<see cref="Metrics.LatencyMs"/>, ms), <c>params</c> (<see cref="Metrics.Parameters"/>, in millions),
/// <c>flops</c> (<see cref="Metrics.Flops"/>, millions of multiply-accumulates), or any other name for a table column
/// recorded in <see cref="Metrics.Extra"/> (e.g. <c>hwnb_pixel3_ms</c>, an energy column). Every cost is minimised.
/// </summary>
public sealed record CostMetric(string Name)
{
    public const string Latency = "latency";
    public const string Params = "params";
    public const string Flops = "flops";

    /// <summary>The names read from measured metrics rather than from a table column.</summary>
    public static IReadOnlyList<string> MeasuredNames { get; } = [Latency, Params, Flops];

    public bool IsMeasured => MeasuredNames.Contains(Name);

    public Objective Objective => Name switch
    {
        Latency => Objective.LatencyMs,
        Params => Objective.ParamsMillions,
        Flops => Objective.MFlops,
        _ => new Objective(Name, Direction.Minimize, ""),
    };

    /// <summary>The cost of a measured trial; a metric that was not measured is a user's mistake (for example a
    /// table column not named with --cost), reported in one line.</summary>
    public double Of(Metrics metrics)
    {
        double? value = Name switch
        {
            Latency => metrics.LatencyMs,
            Params => metrics.Parameters / 1e6,
            Flops => metrics.Flops,
            _ => metrics.Extra.TryGetValue(Name, out double v) ? v : null,
        };
        return value is double finite && double.IsFinite(finite) ? finite
            : throw new NascentException(IsMeasured
                ? $"The trial has no {Name} measurement; the evaluator of this search does not measure {Name}."
                : $"The trial has no '{Name}' cost: name a table column recorded with --cost, or one of {string.Join(", ", MeasuredNames)}.");
    }
}
