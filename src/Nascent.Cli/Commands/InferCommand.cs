using TorchSharp;
using Nascent.Experiments.InstaNasSearch;

namespace Nascent.Cli;

/// <summary>`nascent infer --run RUN_DIR`: classifies with a finished InstaNAS run, a different architecture per image.</summary>
internal static class InferCommand
{
    private sealed record InferSettings
    {
        [Setting("a finished 'nascent search --strategy instanas' run")]
        public string? Run { get; init; }
        [Setting("test images timed one by one at batch 1 (default: the run's)", Min = 1)]
        public int? TimingImages { get; init; }
        [Setting("data root (default $NASCENT_DATA or ~/.nascent/data)")]
        public string? DataDir { get; init; }
        [Setting("libtorch intra-op threads, fixed before any work (default: libtorch's)", Min = 1)]
        public int? Threads { get; init; }
        [Setting("no progress")]
        public bool Quiet { get; init; }
    }

    public static NascentCommand Create(CommandContext context)
    {
        var command = new NascentCommand("infer", "classify with a finished InstaNAS run, a different architecture per image")
        {
            Details = """
                Classifies the test set with a finished InstaNAS run (nascent search --strategy instanas): each image gets
                its own architecture from the controller. Prints the test accuracy and the measured per-image latency
                (batch 1, controller included); writes infer.json in the run directory.
                """,
        };
        var settings = new SettingOptions<InferSettings>(
            ("--run RUN_DIR", nameof(InferSettings.Run)),
            ("--timing-images N", nameof(InferSettings.TimingImages)),
            ("--data-dir DIR", nameof(InferSettings.DataDir)),
            ("--threads N", nameof(InferSettings.Threads)),
            ("--quiet", nameof(InferSettings.Quiet)));
        command.Add(settings);
        command.SetAction(parse =>
        {
            var s = settings.Bind(parse);
            string run = s.Run ?? throw new NascentException("nascent infer needs --run RUN_DIR: a finished 'nascent search --strategy instanas' run.");
            if (s.Threads is { } n) torch.set_num_threads(n);
            using var progress = context.Progress(s.Quiet);
            var result = InstaNasInference.Infer(run, s.DataDir, s.TimingImages, progress);
            var f = result.Figures;
            context.Output.WriteLine($"test accuracy: {f.TestAccuracy:F2} % on {result.Images} images ({f.DistinctSelections} distinct per-image architectures)");
            context.Output.WriteLine($"latency per image (batch 1, controller included, {f.TimedImages} images): mean {f.MeanLatencyMs:F3} ms, " +
                $"median {f.MedianLatencyMs:F3} ms, p90 {f.P90LatencyMs:F3} ms (the run's table predicts {f.PredictedLatencyMs:F3} ms)");
            context.Output.WriteLine($"written to: {Path.Combine(result.RunDirectory, "infer.json")}");
            return 0;
        });
        return command;
    }
}
