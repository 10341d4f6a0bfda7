using System.Text.Json.Serialization;

namespace Nascent.Analysis;

/// <summary>
/// What <see cref="ControllerAnalysis"/> measured on one controller (analysis.json; schema in docs/RESULTS.md).
/// Hidden metrics: cosine_final, euclidean_final (the top LSTM layer's hidden state at the last decision),
/// cosine_mean, euclidean_mean (its mean over all decisions). Graph metrics: ged (a distance), jaccard, wl (similarities).
/// </summary>
public sealed record ControllerAnalysisResult(
    string Strategy,
    string Space,
    int Decisions,
    int LstmSize,
    int ControllerUpdates,
    ulong Seed,
    int Samples,
    int DistinctArchitectures,
    int Pairs,
    double GedExactFraction,
    int WlIterations,
    int BootstrapResamples,
    IReadOnlyList<HiddenGraphCorrelation> Correlations,
    IReadOnlyList<StepCorrelation> Steps,
    IReadOnlyList<PrefixComparison> Prefix,
    double WallSeconds)
{
    public static readonly IReadOnlyList<string> HiddenMetrics = ["cosine_final", "euclidean_final", "cosine_mean", "euclidean_mean"];
    public static readonly IReadOnlyList<string> GraphMetrics = ["ged", "jaccard", "wl"];

    /// <summary>The sampled architectures in their string form, in sample order (samples.csv; not in analysis.json).</summary>
    [JsonIgnore]
    public IReadOnlyList<string> SampleArchitectures { get; init; } = [];

    /// <summary>Every compared pair (pairs.csv and the scatter plots; not in analysis.json).</summary>
    [JsonIgnore]
    public IReadOnlyList<PairMeasurement> PairMeasurements { get; init; } = [];
}

/// <summary>Correlation across pairs between a hidden-state metric and a graph metric, with bootstrap 95 % intervals.</summary>
public sealed record HiddenGraphCorrelation(string HiddenMetric, string GraphMetric, CorrelationEstimate Pearson, CorrelationEstimate Spearman);

/// <summary>Correlation across pairs between the cosine similarity of the hidden states at one decision step and a
/// graph metric (no interval). NaN where the hidden state does not vary (the first step of a cell starts alike).</summary>
public sealed record StepCorrelation(int Step, string Decision, string GraphMetric, double Pearson, double Spearman, int Count);

/// <summary>
/// Experiment (a) for one prefix length and graph metric: mean pairwise value within groups sampled from one identical
/// hidden state (a fixed prefix, the controller samples the rest), among unconditioned controller samples, and within
/// groups whose rest is drawn uniformly from the space (what sharing the prefix alone gives).
/// </summary>
public sealed record PrefixComparison(
    double Fraction,
    int PrefixLength,
    string GraphMetric,
    double Conditioned,
    double Unconditioned,
    double Difference,
    double UniformContinuation,
    double ExcessOverUniform,
    int Groups,
    int SamplesPerGroup);

/// <summary>One compared pair of samples (indices into the sample list) and its measurements.</summary>
public sealed record PairMeasurement(int First, int Second, double CosineFinal, double EuclideanFinal, double CosineMean,
    double EuclideanMean, int Ged, bool GedExact, double Jaccard, double Wl)
{
    public double Hidden(string metric) => metric switch
    {
        "cosine_final" => CosineFinal,
        "euclidean_final" => EuclideanFinal,
        "cosine_mean" => CosineMean,
        "euclidean_mean" => EuclideanMean,
        _ => throw new ArgumentException($"Unknown hidden metric '{metric}'.", nameof(metric)),
    };

    public double Graph(string metric) => metric switch
    {
        "ged" => Ged,
        "jaccard" => Jaccard,
        "wl" => Wl,
        _ => throw new ArgumentException($"Unknown graph metric '{metric}'.", nameof(metric)),
    };
}
