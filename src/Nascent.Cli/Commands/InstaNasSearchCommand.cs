using Nascent.Experiments.InstaNasSearch;
using TorchSharp;

namespace Nascent.Cli;

/// <summary>`nascent search --strategy instanas`: InstaNAS's own options (a meta-graph and a per-image controller, not a
/// cell space), so its own `search` command: the command tree has it in place of <see cref="SearchCommand"/> when the
/// arguments choose the strategy (<see cref="IsSelected"/>).</summary>
internal static class InstaNasSearchCommand
{
    private sealed record RunSettings
    {
        [Setting("instanas (what chooses this command)")]
        public string Strategy { get; init; } = InstaNas.Descriptor.Name;
        [Setting("libtorch intra-op threads, fixed before any work (default: libtorch's)", Min = 1)]
        public int? Threads { get; init; }
        [Setting("no progress, only the final summary")]
        public bool Quiet { get; init; }
    }

    /// <summary>Whether the arguments of `nascent search` name the instanas strategy.</summary>
    public static bool IsSelected(IReadOnlyList<string> args) =>
        args.Any(a => a == $"--strategy={InstaNas.Descriptor.Name}" || a == $"--strategy:{InstaNas.Descriptor.Name}")
        || args.Zip(args.Skip(1)).Any(p => p == ("--strategy", InstaNas.Descriptor.Name));

    public static NascentCommand Create(CommandContext context)
    {
        var command = new NascentCommand("search", $"{InstaNas.Descriptor.Summary} (nascent search --strategy instanas)")
        {
            Details = """
                nascent search --strategy instanas [options]

                InstaNAS: a controller picks a different architecture for every input image from a one-shot meta-graph,
                rewarded for accuracy and low latency (measured on this machine, batch 1). Writes result.json with the full
                meta-graph, the fastest fixed selection as accurate, the MobileNetV2-like selection and InstaNAS, all fine-tuned
                alike and timed together (interleaved image by image, the spread across rounds reported); report.html,
                latency_histogram.png, module_usage.png, instanas_curve.csv, latency_table.json, metagraph.dat and
                controller.dat (for nascent infer).
                """,
        };
        var d = new InstaNasConfig();
        var run = new SettingOptions<RunSettings>(("--strategy NAME", nameof(RunSettings.Strategy)));
        var data = SearchOptions.DataOptions(d.Data, zeroMeansAll: false);
        var config = new SettingOptions<InstaNasConfig>(
            ("--test-subset N", nameof(InstaNasConfig.TestSubset)),
            ("--seed N", nameof(InstaNasConfig.Seed)),
            ("--out DIR", nameof(InstaNasConfig.Out)),
            ("--stages LIST", nameof(InstaNasConfig.Stages)),
            ("--stem-channels N", nameof(InstaNasConfig.StemChannels)),
            ("--batch-size N", nameof(InstaNasConfig.BatchSize)),
            ("--lr X", nameof(InstaNasConfig.LearningRate)),
            ("--pretrain-epochs N", nameof(InstaNasConfig.PretrainEpochs)),
            ("--keep-probability X", nameof(InstaNasConfig.KeepProbability)),
            ("--epochs N", nameof(InstaNasConfig.Epochs)),
            ("--finetune-epochs N", nameof(InstaNasConfig.FinetuneEpochs)),
            ("--recalibrate-images N", nameof(InstaNasConfig.RecalibrationImages)),
            ("--candidates N", nameof(InstaNasConfig.FixedCandidates)),
            ("--ranking-images N", nameof(InstaNasConfig.RankingImages)),
            ("--equal-accuracy X", nameof(InstaNasConfig.EqualAccuracyPoints)),
            ("--timing-images N", nameof(InstaNasConfig.TimingImages)),
            ("--timing-rounds N", nameof(InstaNasConfig.TimingRounds)),
            ("--controller-width N", nameof(InstaNasConfig.ControllerWidth)),
            ("--controller-downsample N", nameof(InstaNasConfig.ControllerDownsample)));
        var controller = new SettingOptions<InstaNasOptions>(
            ("--controller-lr X", nameof(InstaNasOptions.LearningRate)),
            ("--insta-alpha X", nameof(InstaNasOptions.Alpha)),
            ("--entropy-weight X", nameof(InstaNasOptions.EntropyWeight)),
            ("--insta-pos X", nameof(InstaNasOptions.PositiveReward)),
            ("--insta-neg X", nameof(InstaNasOptions.NegativeReward)),
            ("--insta-lat-exp X", nameof(InstaNasOptions.LatencyExponent)),
            ("--insta-upper-start X", nameof(InstaNasOptions.UpperStart)),
            ("--insta-upper-end X", nameof(InstaNasOptions.UpperEnd)));
        var host = new SettingOptions<RunSettings>(
            ("--threads N", nameof(RunSettings.Threads)),
            ("--quiet", nameof(RunSettings.Quiet)));
        command.Add(run);
        command.Add(data);
        command.Add(config);
        command.Add(controller);
        command.Add(host);
        command.SetAction(parse =>
        {
            var h = host.Bind(parse);
            var c = config.Bind(parse) with { Data = data.Bind(parse), Controller = controller.Bind(parse) };
            c.Validate();
            if (h.Threads is { } n) torch.set_num_threads(n);
            using var progress = context.Progress(h.Quiet);
            var result = InstaNasExperiment.Run(c, progress, context.Cancellation);
            var output = context.Output;
            output.WriteLine($"{"network",-12} {"test acc",9} {"mean ms/image",14} {"spread",8} {"median",8} {"p90",8} {"table ms",9}  selection");
            foreach (var f in new[] { result.Full, result.Fixed, result.MobileNetV2, result.InstaNas }.OfType<InstaNasFigures>())
                output.WriteLine($"{f.Name,-12} {f.TestAccuracy,8:F2}% {f.MeanLatencyMs,14:F3} {f.SpreadMs,8:F3} {f.MedianLatencyMs,8:F3} {f.P90LatencyMs,8:F3} {f.PredictedLatencyMs,9:F3}  " +
                    (f.Selection ?? $"per image ({f.DistinctSelections} distinct)"));
            output.WriteLine("(latency timed for all networks together, interleaved image by image; spread: largest minus smallest round mean)");
            foreach (var against in result.Comparisons ?? [])
                output.WriteLine($"instanas against {(against.Against == "full" ? "the full meta-graph" : against.Against == "fixed" ? "the fastest fixed selection" : "the MobileNetV2-like network")}: " +
                    $"{against.LatencyCutPercent:F1} % less measured latency ({(against.LatencyDiffers ? "beyond the timing's spread" : "within the timing's spread: no difference")}), " +
                    $"{against.AccuracyChangePoints:+0.00;-0.00} accuracy points");
            output.WriteLine($"target against the MobileNetV2-like network (>= 30 % beyond the spread, >= -0.50 points): {(result.TargetMet ? "met" : "not met")}");
            output.WriteLine($"report: {Path.Combine(result.RunDirectory, Reports.RunReport.FileName)}");
            output.WriteLine($"{result.Threads} thread(s), {result.Seconds:F0} s; run written to: {result.RunDirectory}");
            output.WriteLine($"classify with it: nascent infer --run {result.RunDirectory}");
            return 0;
        });
        return command;
    }
}
