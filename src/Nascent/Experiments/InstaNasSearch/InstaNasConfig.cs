using Nascent.Core;
using Nascent.Data;
using Nascent.Nn;
using Nascent.Strategies;
using Nascent.Training;

namespace Nascent.Experiments.InstaNasSearch;

/// <summary>
/// An InstaNAS search (<c>nascent search --strategy instanas</c>), as the command line spells it (written to the run's
/// config.json, which <c>nascent infer</c> reads back). Defaults run on MNIST in a few minutes on 2 cores.
/// </summary>
public sealed record InstaNasConfig
{
    /// <summary>The data, as a search names it (shared with search, train and compare).</summary>
    public DataSettings Data { get; init; } = new();
    [System.Text.Json.Serialization.JsonIgnore] public string Dataset => Data.Dataset ?? DatasetKinds.Default;
    /// <summary>Use only this many test images (a seeded random choice); all of them by default.</summary>
    public int? TestSubset { get; init; }
    public ulong Seed { get; init; }
    public string? Out { get; init; }

    public int StemChannels { get; init; } = MetaGraphOptions.DefaultStemChannels;
    /// <summary>The meta-graph's stages, <c>WIDTHxBLOCKSsSTRIDE</c> comma-separated.</summary>
    public string Stages { get; init; } = MetaGraphOptions.DefaultStages;
    public int BatchSize { get; init; } = 64;
    /// <summary>The meta-graph's SGD learning rate (one-shot training and fine-tuning).</summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary>Epochs of one-shot training on random selections, each module of each block on with
    /// <see cref="KeepProbability"/> per image (drop-path style), so that any selection works.</summary>
    public int PretrainEpochs { get; init; } = 2;
    public double KeepProbability { get; init; } = 0.5;
    /// <summary>Search epochs: each one epoch of controller training, then one of fine-tuning the meta-graph on the
    /// controller's sampled policies. The baselines are fine-tuned for these plus <see cref="FinetuneEpochs"/>.</summary>
    public int Epochs { get; init; } = 3;
    /// <summary>After the search, epochs of fine-tuning the meta-graph on the controller's thresholded policies with
    /// the controller fixed (InstaNAS's finetune stage).</summary>
    public int FinetuneEpochs { get; init; } = 2;
    public InstaNasOptions Controller { get; init; } = new();

    /// <summary>Training images run under the controller's thresholded policies after each search epoch to re-estimate
    /// the meta-graph's batch-norm statistics (<see cref="Nn.InstaNasNetwork.RecalibrateBatchNorm"/>); 0 keeps the
    /// statistics fine-tuning left. Not in InstaNAS: there, fine-tuning on sampled policies sets them.</summary>
    public int RecalibrationImages { get; init; } = 1280;

    /// <summary>Fixed selections tried, on the one-shot weights, in the search for the fastest fixed architecture as
    /// accurate as the full meta-graph (within <see cref="EqualAccuracyPoints"/>).</summary>
    public int FixedCandidates { get; init; } = 60;
    /// <summary>Validation images each fixed candidate is scored on.</summary>
    public int RankingImages { get; init; } = 2000;
    public double EqualAccuracyPoints { get; init; } = 0.5;
    /// <summary>Test images timed one by one (batch 1) for the per-image latencies.</summary>
    public int TimingImages { get; init; } = 1000;

    public DataOptions DataOptions() => Data.ImageOptions(Seed, TestSubset);

    public MetaGraphOptions MetaGraph(ImageDataset data) => new(data.Channels, data.Classes, StemChannels, Stages);

    public TrainingOptions Training(int epochs) => new() { Epochs = epochs, BatchSize = BatchSize, LearningRate = LearningRate };

    public void Validate()
    {
        Settings.Validate(Data);
        DatasetKinds.Parse(Dataset);
        new MetaGraphOptions(1, 10, StemChannels, Stages).Validate();
        Training(Math.Max(1, PretrainEpochs)).Validate();
        Controller.Validate();
        if (PretrainEpochs < 1) throw new NascentException($"--pretrain-epochs must be at least 1 (got {PretrainEpochs}).");
        if (FinetuneEpochs < 0) throw new NascentException($"--finetune-epochs must not be negative (got {FinetuneEpochs}).");
        if (Epochs < 1) throw new NascentException($"--epochs must be at least 1 (got {Epochs}).");
        if (!(KeepProbability > 0 && KeepProbability <= 1))
            throw new NascentException($"--keep-probability must lie in (0, 1] (got {KeepProbability}).");
        if (FixedCandidates < 1) throw new NascentException($"--candidates must be at least 1 (got {FixedCandidates}).");
        if (RankingImages < 1) throw new NascentException($"--ranking-images must be at least 1 (got {RankingImages}).");
        if (!(EqualAccuracyPoints >= 0)) throw new NascentException($"--equal-accuracy must not be negative (got {EqualAccuracyPoints}).");
        if (RecalibrationImages < 0) throw new NascentException($"--recalibrate-images must not be negative (got {RecalibrationImages}).");
        if (TimingImages < 1) throw new NascentException($"--timing-images must be at least 1 (got {TimingImages}).");
    }
}
