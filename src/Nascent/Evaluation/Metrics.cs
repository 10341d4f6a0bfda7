namespace Nascent.Evaluation;

/// <summary>What an architecture is worth. Accuracies are percentages (0-100), latency milliseconds.
/// <see cref="Accuracy"/> is the search objective (validation accuracy); the rest is reported when measured.</summary>
public sealed record Metrics(
    double Accuracy,
    double? Loss = null,
    long? Parameters = null,
    double? TestAccuracy = null,
    double? LatencyMs = null,
    double? Flops = null)
{
    /// <summary>Further named measurements (e.g. a table's cost columns).</summary>
    public IReadOnlyDictionary<string, double> Extra { get; init; } = new Dictionary<string, double>();
}
