namespace Nascent.Training;

public enum OptimizerKind { Sgd, Adam }

/// <summary>How a network (a child or a supernet) is trained. The learning rate follows a cosine schedule from
/// <see cref="LearningRate"/> to <see cref="MinLearningRate"/> over all steps when <see cref="Cosine"/> is set.</summary>
public sealed record TrainingOptions
{
    public int Epochs { get; init; } = 1;
    public int BatchSize { get; init; } = 64;
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;
    public double LearningRate { get; init; } = 0.05;
    public double MinLearningRate { get; init; } = 0.0;
    public bool Cosine { get; init; } = true;
    public double Momentum { get; init; } = 0.9;
    public bool Nesterov { get; init; } = true;
    public double WeightDecay { get; init; } = 3e-4;
    /// <summary>Clip the gradient's global norm to this value; 0 turns clipping off.</summary>
    public double GradientClip { get; init; } = 5.0;
    /// <summary>A loss above this (or NaN) fails the trial: the network diverged.</summary>
    public double DivergenceLoss { get; init; } = 1e4;

    public void Validate()
    {
        if (Epochs < 1) throw new NascentException($"--epochs must be at least 1 (got {Epochs}).");
        if (BatchSize < 1) throw new NascentException($"--batch-size must be at least 1 (got {BatchSize}).");
        if (!(LearningRate > 0)) throw new NascentException($"--lr must be positive (got {LearningRate}).");
        if (MinLearningRate < 0 || MinLearningRate > LearningRate)
            throw new NascentException($"The minimum learning rate must lie in [0, --lr] (got {MinLearningRate}).");
        if (Momentum < 0 || Momentum >= 1) throw new NascentException($"--momentum must lie in [0, 1) (got {Momentum}).");
        if (WeightDecay < 0) throw new NascentException($"--weight-decay must not be negative (got {WeightDecay}).");
        if (GradientClip < 0) throw new NascentException($"--grad-clip must not be negative (got {GradientClip}).");
    }
}
