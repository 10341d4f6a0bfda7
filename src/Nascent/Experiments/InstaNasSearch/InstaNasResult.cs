namespace Nascent.Experiments.InstaNasSearch;

/// <summary>One network's figures on the test set: accuracy, the per-image latency measured at batch 1 (mean,
/// median, 90th percentile, over <see cref="TimedImages"/> images; the controller's own cost included for InstaNAS),
/// the latency the module table predicts (mean over the test images), and the selection (a fixed one, or the
/// number of distinct per-image selections).</summary>
public sealed record InstaNasFigures(string Name, double TestAccuracy, double MeanLatencyMs, double MedianLatencyMs,
    double P90LatencyMs, double PredictedLatencyMs, int TimedImages, string? Selection = null, int? DistinctSelections = null);

/// <summary>What <c>nascent search --strategy instanas</c> writes to result.json (docs/RESULTS.md): the full meta-graph,
/// the fastest fixed selection found as accurate as it on validation, and InstaNAS's per-image selection, all
/// fine-tuned alike from the same one-shot weights; the latency cut and accuracy change of InstaNAS against the full
/// meta-graph (measured latency), and whether the target (≥ 30 % cut, ≤ 0.5 points lost) is met.</summary>
public sealed record InstaNasResult(string Command, string Strategy, string Dataset, ulong Seed,
    InstaNasFigures Full, InstaNasFigures Fixed, InstaNasFigures InstaNas,
    double LatencyCutPercent, double AccuracyChangePoints, bool TargetMet, int Threads, double Seconds, string RunDirectory);

/// <summary>What <c>nascent infer</c> writes to infer.json.</summary>
public sealed record InferResult(string Command, string RunDirectory, string Dataset, int Images, InstaNasFigures Figures);
