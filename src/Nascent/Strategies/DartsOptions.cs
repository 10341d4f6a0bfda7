using Nascent.Core;

namespace Nascent.Strategies;

/// <summary>DARTS's architecture optimizer (Liu et al. 2019): Adam with β = (0.5, 0.999) and weight decay 1e-3 on
/// the α; <see cref="LearningRate"/> 3e-4 as in the paper. α start at 1e-3 times a standard normal draw.</summary>
public sealed record DartsOptions
{
    public double LearningRate { get; init; } = 3e-4;
    public double WeightDecay { get; init; } = 1e-3;

    public void Validate()
    {
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
            throw new NascentException($"--darts-lr must be positive (got {LearningRate}).");
        if (!(WeightDecay >= 0)) throw new NascentException($"The DARTS weight decay must not be negative (got {WeightDecay}).");
    }
}
