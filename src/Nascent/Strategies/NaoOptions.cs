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
public sealed record NaoOptions : IStrategyOptions
{
    [Setting("token embedding size", Min = 1)]
    public int EmbeddingSize { get; init; } = 48;
    [Setting("encoder and decoder LSTM units", Min = 1)]
    public int HiddenSize { get; init; } = 96;
    [Setting("encoder LSTM layers", Min = 1)]
    public int EncoderLayers { get; init; } = 1;
    [Setting("performance predictor MLP layers", Min = 0)]
    public int MlpLayers { get; init; } = 3;
    [Setting("performance predictor MLP units", Min = 1)]
    public int MlpHiddenSize { get; init; } = 200;
    [Setting("dropout of the predictor MLP", Min = 0, Max = 1, MaxExclusive = true)]
    public double MlpDropout { get; init; } = 0.1;
    /// <summary>λ: loss = λ · prediction MSE + (1 − λ) · reconstruction cross-entropy.</summary>
    [Setting("λ: weight of the prediction loss against reconstruction", Min = 0, Max = 1)]
    public double TradeOff { get; init; } = 0.8;
    [Setting("encoder-predictor-decoder epochs per iteration", Min = 1)]
    public int Epochs { get; init; } = 100;
    [Setting("encoder-predictor-decoder batch size", Min = 1)]
    public int BatchSize { get; init; } = 100;
    [Setting("encoder-predictor-decoder Adam learning rate", Min = 0, MinExclusive = true)]
    public double LearningRate { get; init; } = 0.001;
    [Setting("L2 weight decay", Min = 0)]
    public double WeightDecay { get; init; } = 1e-4;
    [Setting("gradient norm clip", Min = 0, MinExclusive = true)]
    public double GradientBound { get; init; } = 5.0;
    /// <summary>Train also on an equivalent encoding of each architecture where the space has one (ENAS micro: the
    /// two (input, op) pairs of a node swapped), drawn afresh every epoch as NAO does.</summary>
    public bool Augment { get; init; } = true;

    /// <summary>Random architectures evaluated before the first model is trained (with weight sharing: the pool).</summary>
    [Setting("random seed architectures (with weight sharing: the pool)", Min = 2)]
    public int SeedArchitectures { get; init; } = 50;
    /// <summary>New architectures decoded per iteration (with weight sharing: they replace the pool's worst).</summary>
    [Setting("new architectures decoded per iteration", Min = 1)]
    public int NewPerIteration { get; init; } = 25;
    /// <summary>The best evaluated architectures whose embeddings are moved along the predictor's gradient.</summary>
    [Setting("best architectures moved in the embedding space", Min = 1)]
    public int TopK { get; init; } = 25;
    /// <summary>Step sizes η = 1, 2, ..., MaxStepSize are tried in turn until enough new architectures decode.</summary>
    [Setting("largest step size η tried", Min = 1)]
    public int MaxStepSize { get; init; } = 50;

    public void Validate() => Settings.Validate(this);
}
