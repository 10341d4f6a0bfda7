namespace Nascent.Strategies;

/// <summary>DARTS's architecture optimizer (Liu et al. 2019): Adam with β = (0.5, 0.999) and weight decay 1e-3 on
/// the α; <see cref="LearningRate"/> 3e-4 as in the paper. α start at 1e-3 times a standard normal draw.</summary>
public sealed record DartsOptions : IStrategyOptions
{
    [Setting("Adam learning rate of the architecture parameters α", Min = 0, MinExclusive = true)]
    public double LearningRate { get; init; } = 3e-4;
    [Setting("weight decay of α", Min = 0)]
    public double WeightDecay { get; init; } = 1e-3;

    public void Validate() => Settings.Validate(this);
}
