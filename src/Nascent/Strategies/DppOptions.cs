using Nascent.Core;

namespace Nascent.Strategies;

/// <summary>
/// DPP-Net's progressive search (Dong et al. 2018). <see cref="Keep"/> is K, the candidates evaluated per stage
/// (after the first stage, which evaluates every one-block cell when there are at most K). The accuracy predictor
/// follows PNAS's (an LSTM of 100 units; Adam at 0.01), refitted from scratch on every evaluated architecture before
/// each selection.
/// </summary>
public sealed record DppOptions
{
    public int Keep { get; init; } = 20;
    public int EmbeddingSize { get; init; } = 32;
    public int HiddenSize { get; init; } = 100;
    public int PredictorEpochs { get; init; } = 100;
    public int BatchSize { get; init; } = 64;
    public double LearningRate { get; init; } = 0.01;

    public void Validate()
    {
        if (Keep < 1) throw new NascentException($"--dpp-keep must be at least 1 (got {Keep}).");
        if (EmbeddingSize < 1 || HiddenSize < 1) throw new NascentException("DPP-Net: the predictor's sizes must be at least 1.");
        if (PredictorEpochs < 1) throw new NascentException($"--dpp-epochs must be at least 1 (got {PredictorEpochs}).");
        if (BatchSize < 1) throw new NascentException($"DPP-Net: batch size must be at least 1 (got {BatchSize}).");
        if (!(LearningRate > 0)) throw new NascentException($"DPP-Net: learning rate must be positive (got {LearningRate}).");
    }
}
