using Nascent.Costs;
using Nascent.Data;
using Nascent.Nn;
using Nascent.Spaces;
using TorchSharp;

namespace Nascent.Cli;

/// <summary>`nascent latency profile` writes a latency lookup table (a device profile) of a space on this machine;
/// `nascent latency check` measures how well a table predicts latency here.</summary>
internal static class LatencyCommand
{
    private sealed record ProfileSettings
    {
        [Setting("search space (only nb201 has a latency table so far)")]
        public string Space { get; init; } = "nb201";
        [Setting("nodes per cell (a space with nodes)", Min = 1)]
        public int? Nodes { get; init; }
        [Setting("the table to write (JSON)")]
        public string? Out { get; init; }
        [Setting("mnist|fashion-mnist|cifar10|cifar100: input shape and classes (default mnist: 1x28x28, 10); " +
                 "or give --input CxHxW --classes N instead")]
        public string? Dataset { get; init; }
        [Setting("an explicit input shape (with --classes), e.g. 3x32x32")]
        public string? Input { get; init; }
        [Setting("classes of the explicit input shape", Min = 2)]
        public int? Classes { get; init; }
        [Setting("first-stage width", Min = 1)]
        public int Channels { get; init; } = new TrainingSettings().Channels;
        [Setting("cells per stage", Min = 1)]
        public int Cells { get; init; } = new TrainingSettings().Cells;
        [Setting("libtorch intra-op threads, fixed before any work and recorded in the table (default: libtorch's own, " +
                 "the number of cores)", Min = 1)]
        public int? Threads { get; init; }
        [Setting("no progress bar")]
        public bool Quiet { get; init; }
    }

    private sealed record CheckSettings
    {
        [Setting("a table written by 'nascent latency profile'")]
        public string? LatencyTable { get; init; }
        [Setting("random architectures measured (default 30)", Min = 2)]
        public int? Archs { get; init; }
        [Setting("measure this architecture instead (repeat for more, at least 2)")]
        public IReadOnlyList<string> Arch { get; init; } = [];
        [Setting("seed of the random architectures")]
        public ulong Seed { get; init; }
        [Setting("timed samples per architecture (default: the table's)", Min = 1)]
        public int? Repeats { get; init; }
        [Setting("libtorch intra-op threads (default: the table's)", Min = 1)]
        public int? Threads { get; init; }
        [Setting("no progress bar")]
        public bool Quiet { get; init; }
    }

    public static NascentCommand Create(CommandContext context)
    {
        var group = new NascentCommand("latency", "latency profile: write a latency lookup table (device profile) of a space on " +
            "this machine; latency check: how well a table predicts measured latency here")
        {
            Details = """
                Latency is wall-clock time of one forward pass in eval mode without gradients: 3 rounds of warm-up calls
                and timed samples (each at least 0.2 ms of calls), the median of the rounds' medians. Other work on the
                machine disturbs it: profile and check on an idle machine.
                """,
        };
        group.Subcommands.Add(Profile(context));
        group.Subcommands.Add(Check(context));
        return group;
    }

    private static NascentCommand Profile(CommandContext context)
    {
        var command = new NascentCommand("profile", "write a latency lookup table of a space, measured on this machine")
        {
            Details = """
                Times each part of the space's networks once on this machine (stem, reduction blocks, head, and every
                operation, node sum and zero tensor at each stage's shape) and writes a latency lookup table: a device
                profile that predicts an architecture's latency as the sum of its parts. Make it on the device that
                matters; use it on any machine with 'nascent search --latency-table TABLE.json', and check it with
                'nascent latency check --latency-table FILE'.
                """,
        };
        var settings = new SettingOptions<ProfileSettings>(
            ("--space NAME", nameof(ProfileSettings.Space)),
            ("--nodes N", nameof(ProfileSettings.Nodes)),
            ("--out FILE", nameof(ProfileSettings.Out)),
            ("--dataset NAME", nameof(ProfileSettings.Dataset)),
            ("--input CxHxW", nameof(ProfileSettings.Input)),
            ("--classes N", nameof(ProfileSettings.Classes)),
            ("--channels N", nameof(ProfileSettings.Channels)),
            ("--cells N", nameof(ProfileSettings.Cells)),
            ("--threads N", nameof(ProfileSettings.Threads)),
            ("--quiet", nameof(ProfileSettings.Quiet)));
        var measurement = new SettingOptions<LatencyOptions>(
            ("--batch N", nameof(LatencyOptions.Batch)),
            ("--repeats N", nameof(LatencyOptions.Repeats)));
        command.Add(settings);
        command.Add(measurement);
        command.SetAction(parse =>
        {
            var s = settings.Bind(parse);
            var space = SpaceCatalog.Create(s.Space, s.Nodes);
            string outFile = s.Out ?? throw new NascentException("nascent latency profile needs --out TABLE.json: the file to write.");
            if (s.Dataset is not null && (s.Input is not null || s.Classes is not null))
                throw new NascentException("Give either --dataset or --input CxHxW with --classes N, not both.");
            if ((s.Input is null) != (s.Classes is null))
                throw new NascentException("--input CxHxW and --classes N go together (or give --dataset).");
            var dataset = DatasetKinds.Parse(s.Dataset ?? "mnist");
            if (!dataset.IsBuiltIn() && s.Input is null)
                throw new NascentException("An image folder's shape comes from its files: give --input CxHxW and --classes N instead of --dataset folder.");
            var (inputChannels, height, width) = s.Input is null ? dataset.InputShape() : ParseShape(s.Input);
            var network = new NetworkOptions(inputChannels, s.Classes ?? dataset.Classes(), s.Channels, s.Cells);
            var options = measurement.Bind(parse);
            if (s.Threads is { } n) torch.set_num_threads(n); // once, before any torch work in this process
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var progress = context.Progress(s.Quiet);
            var table = LatencyTable.Create(space, network, height, width, options, progress);
            table.Save(outFile);
            var output = context.Output;
            output.WriteLine($"{"entry",-26} {"input",-16} {"median ms",10} {"spread",8} {"rounds",8}");
            foreach (var e in table.Profile.Entries)
                output.WriteLine($"{e.Name,-26} {string.Join('x', e.Input),-16} {e.MedianMs,10:F4} {100 * e.Spread,7:F1}% {100 * e.RoundSpread,7:F1}%");
            output.WriteLine("spread: (p90 - p10) / median of the timed samples; rounds: (max - min) / median of the independent rounds' medians");
            output.WriteLine($"latency table of {table.Description} written to {outFile} in {clock.Elapsed.TotalSeconds:F1} s");
            output.WriteLine($"check it: nascent latency check --latency-table {outFile}");
            return 0;
        });
        return command;
    }

    private static NascentCommand Check(CommandContext context)
    {
        var command = new NascentCommand("check", "measure architectures here and compare with a table's predictions")
        {
            Details = """
                Measures N random architectures end to end on this machine, with the table's network, input shape,
                batch and timing protocol, and prints Spearman's rho, Pearson's r and the mean absolute percentage error
                (MAPE) of the table's predictions.
                """,
        };
        var settings = new SettingOptions<CheckSettings>(
            ("--latency-table FILE", nameof(CheckSettings.LatencyTable)),
            ("--archs N", nameof(CheckSettings.Archs)),
            new SettingFlag("--arch TEXT", nameof(CheckSettings.Arch)) { SplitAtCommas = false },
            ("--seed N", nameof(CheckSettings.Seed)),
            ("--repeats N", nameof(CheckSettings.Repeats)),
            ("--threads N", nameof(CheckSettings.Threads)),
            ("--quiet", nameof(CheckSettings.Quiet)));
        command.Add(settings);
        command.SetAction(parse =>
        {
            var s = settings.Bind(parse);
            string path = s.LatencyTable ?? throw new NascentException("nascent latency check needs --latency-table TABLE.json (written by nascent latency profile).");
            var given = s.Arch;
            if (s.Archs is not null && given.Count > 0) throw new NascentException("Give either --archs N (random) or --arch TEXT (repeated), not both.");
            int archs = given.Count > 0 ? given.Count : s.Archs ?? 30;
            var table = LatencyTable.Load(path);
            // Once, before any torch work in this process: the table's thread count unless told otherwise.
            int wanted = s.Threads ?? table.Profile.Threads;
            if (torch.get_num_threads() != wanted) torch.set_num_threads(wanted);
            var options = s.Repeats is { } r ? table.MeasurementOptions with { Repeats = r } : table.MeasurementOptions;
            var space = SpaceCatalog.Create(table.Profile.Space);
            using var progress = context.Progress(s.Quiet);
            var result = given.Count > 0
                ? LatencyCheck.Run(table, given.Select(space.Parse).ToArray(), progress, options)
                : LatencyCheck.Run(table, archs, s.Seed, progress, options);
            var output = context.Output;
            output.WriteLine($"{"predicted ms",12} {"measured ms",12} {"error",8}  architecture");
            foreach (var row in result.Rows)
                output.WriteLine($"{row.PredictedMs,12:F3} {row.MeasuredMs,12:F3} {100 * (row.PredictedMs - row.MeasuredMs) / row.MeasuredMs,7:+0.0;-0.0}%  {row.Arch}");
            output.WriteLine($"table: {table.Description} ({table.Profile.Machine}, {table.Profile.Created})");
            output.WriteLine($"measured here: {archs} {(given.Count > 0 ? "given" : $"random (seed {s.Seed})")} architectures, {result.Threads} thread(s), " +
                $"{result.Rows.Min(x => x.MeasuredMs):F3}-{result.Rows.Max(x => x.MeasuredMs):F3} ms");
            output.WriteLine($"Spearman rho: {result.Spearman:F3}");
            output.WriteLine($"Pearson r: {result.Pearson:F3}");
            output.WriteLine($"MAPE: {result.MapePercent:F1} %");
            output.WriteLine($"mean predicted/measured: {result.Rows.Average(x => x.PredictedMs / x.MeasuredMs):F3}");
            output.WriteLine($"time: {result.WallSeconds:F1} s");
            return 0;
        });
        return command;
    }

    /// <summary>Parses an input shape written CxHxW (e.g. 3x32x32).</summary>
    private static (int Channels, int Height, int Width) ParseShape(string text)
    {
        var values = text.Split('x', 'X').Select(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= 1 ? v : -1).ToArray();
        if (values.Length != 3 || values.Any(v => v < 1))
            throw new NascentException($"Option --input needs a shape CxHxW of positive whole numbers, e.g. 3x32x32 (got '{text}').");
        return (values[0], values[1], values[2]);
    }
}
