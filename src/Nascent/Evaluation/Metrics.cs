namespace Nascent.Evaluation;

/// <summary>What an architecture is worth. Accuracies are percentages (0-100); <see cref="LatencyMs"/> milliseconds
/// per forward pass (batch 1 unless a latency table profiled another batch); <see cref="Flops"/> millions of
/// multiply-accumulates per image (<see cref="Costs.ModelCost.MFlops"/>, as NAS-Bench-201's <c>flops_*_m</c>
/// columns). <see cref="Accuracy"/> is the search objective (validation accuracy); the rest is reported when measured.</summary>
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
