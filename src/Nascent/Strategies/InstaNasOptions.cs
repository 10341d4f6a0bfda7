namespace Nascent.Strategies;

/// <summary>
/// The InstaNAS controller's training, with InstaNAS's defaults (AnjieCheng/InstaNAS, search stage): Adam at 1e-3,
/// probabilities bounded to [1 - α, α] with α = 0.8 while sampling, entropy bonus β = 0.8, reward +10 times the
/// shaped latency term for a right prediction and -10 for a wrong one, latency term to the power 1, and the upper
/// latency bound tightened linearly from 0.7 x the full meta-graph's module latency to 0.5 x the MobileNetV2-like
/// selection's over the search (the lower bound is the cheapest selection's).
/// </summary>
public sealed record InstaNasOptions : IStrategyOptions
{
    [Setting("controller Adam learning rate", Min = 0, MinExclusive = true)]
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Probability bound α: sampling uses p·α + (1 - p)·(1 - α), so every module keeps being explored.</summary>
    [Setting("probability bound α while sampling", Min = 0.5, MinExclusive = true, Max = 1)]
    public double Alpha { get; init; } = 0.8;
    [Setting("entropy bonus β", Min = 0)]
    public double EntropyWeight { get; init; } = 0.8;
    [Setting("reward factor of a right prediction", Min = 0, MinExclusive = true)]
    public double PositiveReward { get; init; } = 10;
    [Setting("reward of a wrong prediction", Max = 0)]
    public double NegativeReward { get; init; } = -10;
    [Setting("power of the shaped latency term", Min = 0, MinExclusive = true)]
    public double LatencyExponent { get; init; } = 1;
    /// <summary>The upper latency bound at the start, as a fraction of the full meta-graph's module latency.</summary>
    [Setting("upper latency bound at the start, x the full meta-graph's", Min = 0, MinExclusive = true)]
    public double UpperStart { get; init; } = 0.7;
    /// <summary>The upper latency bound at the end, as a fraction of the MobileNetV2-like selection's. 1 since session 5:
    /// on MNIST (12,000 images, 4 + 3 epochs, seed 0) 0.5 gave -0.60 accuracy points at a 58 % latency cut, 1 gave
    /// -0.49 at 65 % (docs/BENCHMARKS.md).</summary>
    [Setting("upper latency bound at the end, x the MobileNetV2-like selection's", Min = 0, MinExclusive = true)]
    public double UpperEnd { get; init; } = 1.0;

    public void Validate() => Settings.Validate(this);
}
