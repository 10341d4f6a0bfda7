namespace Nascent.Experiments.InstaNasSearch;

/// <summary>One network's figures on the test set: accuracy, the per-image latency measured at batch 1 (mean,
/// median, 90th percentile, over <see cref="TimedImages"/> images; the controller's own cost included for InstaNAS),
/// the latency the module table predicts (mean over the test images), the selection (a fixed one, or the number of
/// distinct per-image selections), and the timing's noise: each round's mean latency (<see cref="RoundMeansMs"/>;
/// the networks of one result are timed interleaved, image by image) and <see cref="SpreadMs"/>, the largest minus the
/// smallest of them.</summary>
public sealed record InstaNasFigures(string Name, double TestAccuracy, double MeanLatencyMs, double MedianLatencyMs,
    double P90LatencyMs, double PredictedLatencyMs, int TimedImages, string? Selection = null, int? DistinctSelections = null,
    double SpreadMs = 0, double[]? RoundMeansMs = null);

/// <summary>InstaNAS against one other network: the measured latency cut (percent of the other's mean), the accuracy
/// change (points), and whether the latencies differ beyond the timing's spread (<see cref="NetworkTiming.Differs"/>);
/// a cut that does not is not a difference.</summary>
public sealed record InstaNasComparison(string Against, double LatencyCutPercent, double AccuracyChangePoints, bool LatencyDiffers);

/// <summary>What <c>nascent search --strategy instanas</c> writes to result.json (docs/RESULTS.md): the full meta-graph,
/// the fastest fixed selection found as accurate as it on validation, the MobileNetV2-like selection (ir3e6 in every
/// block, the paper's reference) and InstaNAS's per-image selection, all fine-tuned alike from the same one-shot
/// weights and timed together; InstaNAS against each (<see cref="Comparisons"/>); the latency cut and accuracy change
/// against the full meta-graph; and whether the target is met against the MobileNetV2-like network (a
/// measured cut of at least 30 % beyond the timing's spread, at most 0.5 points lost).</summary>
public sealed record InstaNasResult(string Command, string Strategy, string Dataset, ulong Seed,
    InstaNasFigures Full, InstaNasFigures Fixed, InstaNasFigures InstaNas,
    double LatencyCutPercent, double AccuracyChangePoints, bool TargetMet, int Threads, double Seconds, string RunDirectory,
    InstaNasFigures? MobileNetV2 = null, IReadOnlyList<InstaNasComparison>? Comparisons = null);

/// <summary>What <c>nascent infer</c> writes to infer.json.</summary>
public sealed record InferResult(string Command, string RunDirectory, string Dataset, int Images, InstaNasFigures Figures);
