using Nascent.Core;

namespace Nascent.Strategies;

/// <summary>
/// The InstaNAS controller's training, with InstaNAS's defaults (AnjieCheng/InstaNAS, search stage): Adam at 1e-3,
/// probabilities bounded to [1 - α, α] with α = 0.8 while sampling, entropy bonus β = 0.8, reward +10 times the
/// shaped latency term for a right prediction and -10 for a wrong one, latency term to the power 1, and the upper
/// latency bound tightened linearly from 0.7 x the full meta-graph's module latency to 0.5 x the MobileNetV2-like
/// selection's over the search (the lower bound is the cheapest selection's).
/// </summary>
public sealed record InstaNasOptions
{
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Probability bound α: sampling uses p·α + (1 - p)·(1 - α), so every module keeps being explored.</summary>
    public double Alpha { get; init; } = 0.8;
    public double EntropyWeight { get; init; } = 0.8;
    public double PositiveReward { get; init; } = 10;
    public double NegativeReward { get; init; } = -10;
    public double LatencyExponent { get; init; } = 1;
    /// <summary>The upper latency bound at the start, as a fraction of the full meta-graph's module latency.</summary>
    public double UpperStart { get; init; } = 0.7;
    /// <summary>The upper latency bound at the end, as a fraction of the MobileNetV2-like selection's. 1 since session 5:
    /// on MNIST (12,000 images, 4 + 3 epochs, seed 0) 0.5 gave -0.60 accuracy points at a 58 % latency cut, 1 gave
    /// -0.49 at 65 % (docs/BENCHMARKS.md).</summary>
    public double UpperEnd { get; init; } = 1.0;

    public void Validate()
    {
        if (!(LearningRate > 0)) throw new NascentException($"--controller-lr must be positive (got {LearningRate}).");
        if (!(Alpha > 0.5 && Alpha <= 1)) throw new NascentException($"--insta-alpha must lie in (0.5, 1] (got {Alpha}).");
        if (!(EntropyWeight >= 0)) throw new NascentException($"--entropy-weight must not be negative (got {EntropyWeight}).");
        if (!(PositiveReward > 0)) throw new NascentException($"--insta-pos must be positive (got {PositiveReward}).");
        if (!(NegativeReward <= 0)) throw new NascentException($"--insta-neg must not be positive (got {NegativeReward}).");
        if (!(LatencyExponent > 0)) throw new NascentException($"--insta-lat-exp must be positive (got {LatencyExponent}).");
        if (!(UpperStart > 0) || !(UpperEnd > 0))
            throw new NascentException($"--insta-upper-start and --insta-upper-end must be positive (got {UpperStart}, {UpperEnd}).");
    }
}
