namespace Nascent.Experiments;

/// <summary>How networks are built and trained, as the user sets it: shared by search, train and compare.</summary>
public sealed record TrainingSettings
{
    [Setting("supernet epochs (weight sharing), or each candidate's epochs (from scratch)", Min = 1)]
    public int Epochs { get; init; } = 2;

    [Setting("batch size", Min = 1)]
    public int BatchSize { get; init; } = 64;

    /// <summary>The network's SGD learning rate (cosine schedule); null: 0.05 for image networks, 20 (with the
    /// gradient norm clipped at 0.25) for language models.</summary>
    [Setting("SGD learning rate, cosine schedule (default 0.05; 20 for language models)", Min = 0, MinExclusive = true)]
    public double? LearningRate { get; init; }

    [Setting("first-stage width of an image network", Min = 1)]
    public int Channels { get; init; } = 16;

    [Setting("cells per stage of an image network", Min = 1)]
    public int Cells { get; init; } = 1;

    public const double DefaultImageLearningRate = 0.05;

    public TrainingOptions ImageOptions() => new() { Epochs = Epochs, BatchSize = BatchSize, LearningRate = LearningRate ?? DefaultImageLearningRate };

    public NetworkOptions Network(int inputChannels, int classes, bool supernet) =>
        new(inputChannels, classes, Channels, Cells, TrackRunningStats: !supernet);
}
