namespace Nascent.Strategies;

/// <summary>
/// DPP-Net's progressive search (Dong et al. 2018). <see cref="Keep"/> is K, the candidates evaluated per stage
/// (after the first stage, which evaluates every one-block cell when there are at most K). The accuracy predictor
/// follows PNAS's (an LSTM of 100 units; Adam at 0.01), refitted from scratch on every evaluated architecture before
/// each selection.
/// </summary>
public sealed record DppOptions : IStrategyOptions
{
    [Setting("candidates evaluated per stage, Pareto-selected", Min = 1)]
    public int Keep { get; init; } = 20;
    [Setting("predictor token embedding size", Min = 1)]
    public int EmbeddingSize { get; init; } = 32;
    [Setting("predictor LSTM units", Min = 1)]
    public int HiddenSize { get; init; } = 100;
    [Setting("epochs of each fit of the accuracy predictor", Min = 1)]
    public int PredictorEpochs { get; init; } = 100;
    [Setting("predictor batch size", Min = 1)]
    public int BatchSize { get; init; } = 64;
    [Setting("predictor Adam learning rate", Min = 0, MinExclusive = true)]
    public double LearningRate { get; init; } = 0.01;

    public void Validate() => Settings.Validate(this);
}
