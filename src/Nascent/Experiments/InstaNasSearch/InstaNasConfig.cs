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
    [Setting("test images used (a seeded random choice; default all)", Min = 1)]
    public int? TestSubset { get; init; }
    [Setting("one seed for every random choice")]
    public ulong Seed { get; init; }
    [Setting("run directory (default runs/<time>-instanas)")]
    public string? Out { get; init; }

    [Setting("channels of the meta-graph's stem", Min = 1)]
    public int StemChannels { get; init; } = MetaGraphOptions.DefaultStemChannels;
    /// <summary>The meta-graph's stages, <c>WIDTHxBLOCKSsSTRIDE</c> comma-separated.</summary>
    [Setting("meta-graph stages, WIDTHxBLOCKSsSTRIDE comma-separated")]
    public string Stages { get; init; } = MetaGraphOptions.DefaultStages;
    [Setting("meta-graph SGD batch size", Min = 1)]
    public int BatchSize { get; init; } = 64;
    /// <summary>The meta-graph's SGD learning rate (one-shot training and fine-tuning).</summary>
    [Setting("meta-graph SGD learning rate", Min = 0, MinExclusive = true)]
    public double LearningRate { get; init; } = 0.05;

    /// <summary>Epochs of one-shot training on per-image random selections (drop-path style), so that any selection works;
    /// the keep probability follows <see cref="PretrainKeepProbability"/>.</summary>
    [Setting("one-shot epochs on random selections", Min = 1)]
    public int PretrainEpochs { get; init; } = 2;
    [Setting("one-shot training: every module on for the first half of the epochs, then each on with a probability falling linearly to this, in (0, 1]",
        Source = InstaNasOptions.Repository + " pretrain/train.py:30-33 and 50-53 (falls from 1 to 0.5)")]
    public double KeepProbability { get; init; } = 0.5;
    /// <summary>Search epochs: each one epoch of controller training, then one of fine-tuning the meta-graph on the
    /// controller's sampled policies. The baselines are fine-tuned for these plus <see cref="FinetuneEpochs"/>.</summary>
    [Setting("search epochs: a controller epoch, then a meta-graph fine-tuning epoch", Min = 1)]
    public int Epochs { get; init; } = 3;
    /// <summary>After the search, epochs of fine-tuning the meta-graph on the controller's thresholded policies with
    /// the controller fixed (InstaNAS's finetune stage).</summary>
    [Setting("then epochs of fine-tuning the meta-graph on the controller's policies, controller fixed (the baselines get epochs + these)", Min = 0)]
    public int FinetuneEpochs { get; init; } = 2;
    public InstaNasOptions Controller { get; init; } = new();
    /// <summary>The controller network's first width (Policy32's 16, then 32 and 64).</summary>
    [Setting("controller ResNet width w (stages w, 2w, 4w)", Min = 1,
        Source = InstaNasOptions.Repository + " search/models/controller.py:85-92 (16, 32, 64)")]
    public int ControllerWidth { get; init; } = InstaNasPolicyNetwork.DefaultWidth;
    /// <summary>2 averages 2 x 2 pixels before the controller, as Policy224 (controller.py:236); Policy32 does not.</summary>
    [Setting("controller input downsampling factor (1: none, as Policy32)", Min = 1,
        Source = InstaNasOptions.Repository + " search/models/controller.py:207-208 (Policy32: none)")]
    public int ControllerDownsample { get; init; } = 1;

    /// <summary>Training images run under the controller's thresholded policies after each search epoch to re-estimate
    /// the meta-graph's batch-norm statistics (<see cref="Nn.InstaNasNetwork.RecalibrateBatchNorm"/>); 0 keeps the
    /// statistics fine-tuning left. Not in InstaNAS: there, fine-tuning on sampled policies sets them.</summary>
    [Setting("after each search epoch, re-estimate the batch-norm statistics on N training images under the controller's policies (0: off)", Min = 0)]
    public int RecalibrationImages { get; init; } = 1280;

    /// <summary>Fixed selections tried, on the one-shot weights, in the search for the fastest fixed architecture as
    /// accurate as the full meta-graph (within <see cref="EqualAccuracyPoints"/>).</summary>
    [Setting("fixed selections tried for the fixed baseline", Min = 1)]
    public int FixedCandidates { get; init; } = 60;
    /// <summary>Validation images each fixed candidate is scored on.</summary>
    [Setting("validation images per fixed selection and per epoch's check", Min = 1)]
    public int RankingImages { get; init; } = 2000;
    [Setting("'as accurate': within X points of the full meta-graph", Min = 0)]
    public double EqualAccuracyPoints { get; init; } = 0.5;
    /// <summary>Test images timed one by one (batch 1) for the per-image latencies.</summary>
    [Setting("test images timed one by one at batch 1", Min = 1)]
    public int TimingImages { get; init; } = 1000;
    /// <summary>Rounds over the timed images, every compared network interleaved image by image in each; an image's
    /// latency is its median over the rounds, and the rounds' means give the spread a difference must exceed.</summary>
    [Setting("timing rounds over the timed images (all compared networks interleaved; the spread across rounds is reported)", Min = 2)]
    public int TimingRounds { get; init; } = 5;

    /// <summary>InstaNAS's one-shot schedule (AnjieCheng/InstaNAS pretrain/train.py:30-33 and 50-53, epochs numbered from
    /// 1, pretrain/args.py:90): every module on while epoch &lt;= E/2 (integer half), then each module of each image on
    /// with probability 1 - (1 - final) (epoch - E/2) / (E - E/2), reaching <see cref="KeepProbability"/> (0.5
    /// officially) at the last epoch. Officially the divisor is E/2, the same for an even E; E - E/2 keeps E = 1 defined
    /// (its one epoch at the final probability). <paramref name="epoch"/> counts from 0.</summary>
    public double PretrainKeepProbability(int epoch)
    {
        int half = PretrainEpochs / 2, numbered = epoch + 1;
        return numbered <= half ? 1 : 1 - (1 - KeepProbability) * (numbered - half) / (PretrainEpochs - half);
    }

    public DataOptions DataOptions() => Data.ImageOptions(Seed, TestSubset);

    /// <summary>The controller network of this configuration, for a meta-graph of <paramref name="blocks"/> blocks.</summary>
    public InstaNasPolicyNetwork CreateController(int inputChannels, int blocks) =>
        new(inputChannels, blocks, InstaNasSpace.Modules.Count, ControllerWidth, ControllerDownsample);

    public MetaGraphOptions MetaGraph(ImageDataset data) => new(data.Channels, data.Classes, StemChannels, Stages);

    public TrainingOptions Training(int epochs) => new() { Epochs = epochs, BatchSize = BatchSize, LearningRate = LearningRate };

    public void Validate()
    {
        Settings.Validate(this);
        DatasetKinds.Parse(Dataset);
        Data.Validate();
        new MetaGraphOptions(1, 10, StemChannels, Stages).Validate();
        Training(Math.Max(1, PretrainEpochs)).Validate();
        Controller.Validate();
        if (!(KeepProbability > 0 && KeepProbability <= 1))
            throw NascentException.ForSetting(Settings.KeyOf(GetType(), nameof(KeepProbability)), $"{{setting}} must lie in (0, 1] (got {KeepProbability}).");
    }
}
