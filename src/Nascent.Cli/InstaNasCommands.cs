using Nascent.Core;
using Nascent.Experiments;
using Nascent.Nn;
using Nascent.Strategies;
using TorchSharp;
using Nascent.Experiments.InstaNasSearch;

namespace Nascent.Cli;

/// <summary>`nascent search --strategy instanas`: InstaNAS's own options (a meta-graph and a
/// per-image controller, not a cell space).</summary>
public static class InstaNasCommands
{
    public const string SearchHelp = """
        nascent search --strategy instanas [options]

          InstaNAS: a controller picks a different architecture for every input image from a one-shot meta-graph,
          rewarded for accuracy and low latency (measured on this machine, batch 1). Writes result.json with the full
          meta-graph, the fastest fixed selection as accurate, and InstaNAS, all fine-tuned alike; latency_histogram.png,
          module_usage.png, instanas_curve.csv, latency_table.json, metagraph.dat and controller.dat (for nascent infer).

          --dataset mnist|fashion-mnist|cifar10|cifar100   (default mnist)
          --data-dir DIR --train-subset N --validation-size N --test-subset N --seed N --out DIR --quiet
          --stages LIST                   meta-graph stages WIDTHxBLOCKSsSTRIDE (default 16x1s2,24x2s2,32x2s1,48x1s2)
          --stem-channels N               (default 16)
          --batch-size N --lr X           meta-graph SGD (default 64, 0.05)
          --pretrain-epochs N             one-shot epochs on random selections (default 2)
          --keep-probability X            each module on with this probability per image then (default 0.5)
          --epochs N                      search epochs: controller epoch + meta-graph fine-tuning epoch (default 3)
          --finetune-epochs N             then epochs of fine-tuning the meta-graph on the controller's policies,
                                          controller fixed (default 2); the baselines get epochs + these
          --controller-lr X               controller Adam (default 0.001)
          --insta-alpha X                 probability bound while sampling (default 0.8)
          --entropy-weight X              entropy bonus (default 0.8)
          --insta-pos X --insta-neg X     reward factor when right, reward when wrong (default 10, -10)
          --insta-lat-exp X               exponent of the latency term (default 1)
          --insta-upper-start X           upper latency bound at the start, x the full meta-graph's (default 0.7)
          --insta-upper-end X             upper latency bound at the end, x the MobileNetV2-like selection's (default 1)
          --recalibrate-images N          after each search epoch, re-estimate the meta-graph's batch-norm statistics on
                                          N training images under the controller's policies (default 1280; 0: off)
          --candidates N                  fixed selections tried for the fixed baseline (default 60)
          --ranking-images N              validation images per fixed selection and per epoch's check (default 2000)
          --equal-accuracy X              'as accurate': within X points of the full meta-graph (default 0.5)
          --timing-images N               test images timed one by one at batch 1 (default 1000)
          --threads N                     libtorch intra-op threads, fixed before any work (default: libtorch's)
        """;

    /// <summary>Whether the arguments of `nascent search` name the instanas strategy.</summary>
    public static bool IsSelected(IReadOnlyList<string> args) =>
        args.Contains("--strategy=instanas") || args.Zip(args.Skip(1)).Any(p => p is ("--strategy", "instanas"));

    public static int Search(ArgumentReader a, TextWriter output, TextWriter errors, CancellationToken cancellation)
    {
        var d = new InstaNasConfig();
        var c = d.Controller;
        var config = new InstaNasConfig
        {
            Data = new DataSettings
            {
                Dataset = a.String("dataset"), DataDir = a.String("data-dir"),
                TrainSubset = a.Int("train-subset", 1) ?? d.Data.TrainSubset, ValidationSize = a.Int("validation-size", 1) ?? d.Data.ValidationSize,
            },
            TestSubset = a.Int("test-subset", 1),
            Seed = a.Seed("seed") ?? d.Seed,
            Out = a.String("out"),
            Stages = a.String("stages") ?? d.Stages,
            StemChannels = a.Int("stem-channels", 1) ?? d.StemChannels,
            BatchSize = a.Int("batch-size", 1) ?? d.BatchSize,
            LearningRate = a.Double("lr") ?? d.LearningRate,
            PretrainEpochs = a.Int("pretrain-epochs", 1) ?? d.PretrainEpochs,
            KeepProbability = a.Double("keep-probability") ?? d.KeepProbability,
            Epochs = a.Int("epochs", 1) ?? d.Epochs,
            FinetuneEpochs = a.Int("finetune-epochs", 0) ?? d.FinetuneEpochs,
            Controller = new InstaNasOptions
            {
                LearningRate = a.Double("controller-lr") ?? c.LearningRate,
                Alpha = a.Double("insta-alpha") ?? c.Alpha,
                EntropyWeight = a.Double("entropy-weight") ?? c.EntropyWeight,
                PositiveReward = a.Double("insta-pos") ?? c.PositiveReward,
                NegativeReward = a.Double("insta-neg") ?? c.NegativeReward,
                LatencyExponent = a.Double("insta-lat-exp") ?? c.LatencyExponent,
                UpperStart = a.Double("insta-upper-start") ?? c.UpperStart,
                UpperEnd = a.Double("insta-upper-end") ?? c.UpperEnd,
            },
            RecalibrationImages = a.Int("recalibrate-images", 0) ?? d.RecalibrationImages,
            FixedCandidates = a.Int("candidates", 1) ?? d.FixedCandidates,
            RankingImages = a.Int("ranking-images", 1) ?? d.RankingImages,
            EqualAccuracyPoints = a.Double("equal-accuracy") ?? d.EqualAccuracyPoints,
            TimingImages = a.Int("timing-images", 1) ?? d.TimingImages,
        };
        a.String("strategy"); // instanas: how this command was chosen
        int? threads = a.Int("threads", 1);
        using var progress = ProgressRenderer.For(a.Flag("quiet"), false, errors);
        a.EnsureAllRead("search");
        config.Validate();
        if (threads is { } n) torch.set_num_threads(n);
        var result = InstaNasExperiment.Run(config, progress, cancellation);
        output.WriteLine($"{"network",-10} {"test acc",9} {"mean ms/image",14} {"median",8} {"p90",8} {"table ms",9}  selection");
        foreach (var f in new[] { result.Full, result.Fixed, result.InstaNas })
            output.WriteLine($"{f.Name,-10} {f.TestAccuracy,8:F2}% {f.MeanLatencyMs,14:F3} {f.MedianLatencyMs,8:F3} {f.P90LatencyMs,8:F3} {f.PredictedLatencyMs,9:F3}  " +
                (f.Selection ?? $"per image ({f.DistinctSelections} distinct)"));
        output.WriteLine($"instanas against the full meta-graph: {result.LatencyCutPercent:F1} % less measured latency, " +
            $"{result.AccuracyChangePoints:+0.00;-0.00} accuracy points (target: >= 30 % and >= -0.50: {(result.TargetMet ? "met" : "not met")})");
        output.WriteLine($"{result.Threads} thread(s), {result.Seconds:F0} s; run written to: {result.RunDirectory}");
        output.WriteLine($"classify with it: nascent infer --run {result.RunDirectory}");
        return 0;
    }
}
