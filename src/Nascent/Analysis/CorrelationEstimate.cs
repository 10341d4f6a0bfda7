namespace Nascent.Analysis;

/// <summary>A correlation coefficient with its bootstrap percentile interval (<see cref="Low"/>, <see cref="High"/>)
/// over <see cref="Count"/> pairs. NaN when undefined (fewer than three pairs, or a constant variable).</summary>
public sealed record CorrelationEstimate(double Value, double Low, double High, int Count);
