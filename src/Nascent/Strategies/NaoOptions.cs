using Nascent.Core;

namespace Nascent.Strategies;

/// <summary>
/// NAO (Luo et al. 2018). The network follows NAO_V1 of renqianluo/NAO_pytorch (encoder LSTM of 96 units over
/// 48-wide token embeddings, a 3-layer MLP of 200 units with dropout 0.1, a 96-unit attention LSTM decoder; trade-off
/// λ = 0.8; Adam at 0.001 with L2 1e-4 and gradients clipped at 5; batch 100). The search loop is scaled to a budget of
/// a few hundred evaluations: the paper evaluates 600 seed architectures and adds 300 per iteration from the top 100;
/// here 50 seeds, 25 new per iteration from the top 25, with step sizes η = 1, 2, ... up to <see cref="MaxStepSize"/>
/// until enough new architectures decode. The paper trains the encoder-predictor-decoder 1000 epochs per iteration
/// on its 600 or more architectures; here 100 epochs on the tens to hundreds evaluated (the weights are kept between
/// iterations, as in the paper, so later iterations start from the last fit). On the NAS-Bench-201 table (20 seeds,
/// 150 queries) 100 epochs returned the same test accuracy as 300 (94.03 ± 0.25 against 93.97 ± 0.29) and a
/// predictor as good (Kendall τ 0.43 ± 0.09 against 0.46 ± 0.07) in a third of the time (docs/BENCHMARKS.md).
/// </summary>
public sealed record NaoOptions
{
    public int EmbeddingSize { get; init; } = 48;
    public int HiddenSize { get; init; } = 96;
    public int EncoderLayers { get; init; } = 1;
    public int MlpLayers { get; init; } = 3;
    public int MlpHiddenSize { get; init; } = 200;
    public double MlpDropout { get; init; } = 0.1;
    /// <summary>λ: loss = λ · prediction MSE + (1 − λ) · reconstruction cross-entropy.</summary>
    public double TradeOff { get; init; } = 0.8;
    public int Epochs { get; init; } = 100;
    public int BatchSize { get; init; } = 100;
    public double LearningRate { get; init; } = 0.001;
    public double WeightDecay { get; init; } = 1e-4;
    public double GradientBound { get; init; } = 5.0;
    /// <summary>Train also on an equivalent encoding of each architecture where the space has one (ENAS micro: the
    /// two (input, op) pairs of a node swapped), drawn afresh every epoch as NAO does.</summary>
    public bool Augment { get; init; } = true;

    /// <summary>Random architectures evaluated before the first model is trained (with weight sharing: the pool).</summary>
    public int SeedArchitectures { get; init; } = 50;
    /// <summary>New architectures decoded per iteration (with weight sharing: they replace the pool's worst).</summary>
    public int NewPerIteration { get; init; } = 25;
    /// <summary>The best evaluated architectures whose embeddings are moved along the predictor's gradient.</summary>
    public int TopK { get; init; } = 25;
    /// <summary>Step sizes η = 1, 2, ..., MaxStepSize are tried in turn until enough new architectures decode.</summary>
    public int MaxStepSize { get; init; } = 50;

    public void Validate()
    {
        if (EmbeddingSize < 1 || HiddenSize < 1 || EncoderLayers < 1 || MlpHiddenSize < 1)
            throw new NascentException("NAO: embedding, hidden and MLP sizes and encoder layers must be at least 1.");
        if (MlpLayers < 0) throw new NascentException($"NAO: MLP layers must not be negative (got {MlpLayers}).");
        if (MlpDropout < 0 || MlpDropout >= 1) throw new NascentException($"NAO: MLP dropout must lie in [0, 1) (got {MlpDropout}).");
        if (TradeOff < 0 || TradeOff > 1) throw new NascentException($"--nao-trade-off must lie in [0, 1] (got {TradeOff}).");
        if (Epochs < 1) throw new NascentException($"--nao-epochs must be at least 1 (got {Epochs}).");
        if (BatchSize < 1) throw new NascentException($"NAO: batch size must be at least 1 (got {BatchSize}).");
        if (!(LearningRate > 0)) throw new NascentException($"NAO: learning rate must be positive (got {LearningRate}).");
        if (SeedArchitectures < 2) throw new NascentException($"--nao-seed must be at least 2 (got {SeedArchitectures}).");
        if (NewPerIteration < 1) throw new NascentException($"--nao-new must be at least 1 (got {NewPerIteration}).");
        if (TopK < 1) throw new NascentException($"--nao-top must be at least 1 (got {TopK}).");
        if (MaxStepSize < 1) throw new NascentException($"NAO: the largest step size must be at least 1 (got {MaxStepSize}).");
    }
}
