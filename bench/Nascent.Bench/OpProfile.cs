using System.Runtime.InteropServices;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Nascent.Bench;

/// <summary>
/// Forward plus backward time of each operation Nascent's networks use, at the shape of an NB201 network's first stage
/// (C = 16, MNIST 28 x 28, batch 64): in NCHW and in channels-last layout, with 2 and 1 intra-op threads, all
/// interleaved round by round. Then the glibc allocator setting, A/B on the same operations.
/// </summary>
internal static class OpProfile
{
    private sealed record Op(string Name, Func<Tensor, Tensor> Forward);

    private const int M_TRIM_THRESHOLD = -1;
    private const int M_MMAP_THRESHOLD = -3;

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int MallOpt(int parameter, int value);

    /// <summary>The layout the NB201/ENAS networks use: NCHW sizes, channels-last strides.</summary>
    public static Tensor ToChannelsLast(Tensor x) => x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    public static string Run(int rounds = 5, int reps = 5)
    {
        int n = 64, c = 16;
        var conv3 = nn.Conv2d(c, c, 3, padding: 1, bias: false);
        var conv1 = nn.Conv2d(c, c, 1, bias: false);
        var conv3s2 = nn.Conv2d(c, 2 * c, 3, stride: 2, padding: 1, bias: false);
        var dw3 = nn.Conv2d(c, c, 3, padding: 1, groups: c, bias: false);
        var dw5 = nn.Conv2d(c, c, 5, padding: 2, groups: c, bias: false);
        var bnTrack = nn.BatchNorm2d(c, track_running_stats: true);
        var bnBatch = nn.BatchNorm2d(c, track_running_stats: false);
        Modules.AddRange([conv3, conv1, conv3s2, dw3, dw5, bnTrack, bnBatch]);
        var ops = new List<Op>
        {
            new("relu", x => nn.functional.relu(x)),
            new("add (x + x')", x => x + x.detach()),
            new("conv 3x3 16->16", x => conv3.call(x)),
            new("conv 1x1 16->16", x => conv1.call(x)),
            new("conv 3x3 stride 2 16->32", x => conv3s2.call(x)),
            new("depthwise conv 3x3", x => dw3.call(x)),
            new("depthwise conv 5x5", x => dw5.call(x)),
            new("batch norm, track_running_stats=true (train)", x => bnTrack.call(x)),
            new("batch norm, track_running_stats=false", x => bnBatch.call(x)),
            new("avg_pool 3x3, count_include_pad=false", x => nn.functional.avg_pool2d(x, 3, stride: 1, padding: 1, count_include_pad: false)),
            new("avg_pool 3x3, count_include_pad=true", x => nn.functional.avg_pool2d(x, 3, stride: 1, padding: 1, count_include_pad: true)),
            new("max_pool 3x3", x => nn.functional.max_pool2d(x, 3, stride: 1, padding: 1)),
        };
        var layouts = new (string Name, Func<Tensor> Input)[]
        {
            ("NCHW", () => randn(n, c, 28, 28).requires_grad_(true)),
            ("channels-last", () => ToChannelsLast(randn(n, c, 28, 28)).requires_grad_(true)),
        };
        int[] threadCounts = [2, 1];
        var times = new Dictionary<(string, string, int), List<double>>();
        int original = get_num_threads();
        try
        {
            for (int round = 0; round < rounds; round++)
                foreach (var op in ops)
                    foreach (var layout in layouts)
                        foreach (int threads in threadCounts)
                        {
                            set_num_threads(threads);
                            Add(times, (op.Name, layout.Name, threads), TimeOp(op.Forward, layout.Input, reps));
                        }
        }
        finally
        {
            set_num_threads(original);
        }
        var md = new StringBuilder();
        md.AppendLine($"Forward+backward of one operation on a 64x16x28x28 input (gradient of ones), ms, median of {rounds} interleaved rounds " +
            $"(each the median of {reps} repetitions). Channels-last: the same NCHW-shaped tensor with channels-last strides.");
        md.AppendLine();
        md.AppendLine("| operation | NCHW, 2 threads | NCHW, 1 thread | channels-last, 2 threads | channels-last, 1 thread | NCHW / channels-last (2 threads) |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var op in ops)
        {
            double M(string layout, int t) => Stats.Median(times[(op.Name, layout, t)]);
            md.AppendLine($"| {op.Name} | {M("NCHW", 2):F2} | {M("NCHW", 1):F2} | {M("channels-last", 2):F2} | {M("channels-last", 1):F2} | " +
                $"{M("NCHW", 2) / M("channels-last", 2):F2} |");
        }
        md.AppendLine();
        md.Append(AllocatorTable());
        return md.ToString();
    }

    /// <summary>
    /// The glibc allocator A/B needs fresh processes: once a heap has grown, large buffers come from its free chunks
    /// whatever the mmap threshold says. So this runs child processes of this program, alternately with glibc's
    /// defaults and with Nascent's thresholds; the children touch no Nascent type, so Nascent's module initializer
    /// (which would set the thresholds) never runs in them.
    /// </summary>
    private static string AllocatorTable(int processes = 3)
    {
        var results = new Dictionary<(string Op, bool Tuned), List<double>>();
        for (int i = 0; i < processes; i++)
            foreach (bool tuned in new[] { false, true })
                foreach (var (op, ms) in RunAllocatorChild(tuned))
                    Add(results, (op, tuned), ms);
        var md = new StringBuilder();
        md.AppendLine($"glibc malloc thresholds, forward+backward ms in fresh processes ({processes} of each, alternating; " +
            "median over processes of each one's median of 20 repetitions after 3 warm-ups, 2 threads):");
        md.AppendLine();
        md.AppendLine("| operation (64x16x28x28) | glibc defaults | mmap 128 MiB, trim 512 MiB (Nascent) | defaults / Nascent |");
        md.AppendLine("|---|---:|---:|---:|");
        foreach (var op in results.Keys.Select(k => k.Op).Distinct())
        {
            double a = Stats.Median(results[(op, false)]), b = Stats.Median(results[(op, true)]);
            md.AppendLine($"| {op} | {a:F2} | {b:F2} | {a / b:F2} |");
        }
        return md.ToString();
    }

    private static IEnumerable<(string Op, double Ms)> RunAllocatorChild(bool tuned)
    {
        string self = Environment.ProcessPath!;
        var info = new System.Diagnostics.ProcessStartInfo(self) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") info.ArgumentList.Add(typeof(OpProfile).Assembly.Location);
        info.ArgumentList.Add(AllocatorChildCommand);
        info.ArgumentList.Add(tuned ? "tuned" : "default");
        using var child = System.Diagnostics.Process.Start(info)!;
        var lines = new List<string>();
        while (child.StandardOutput.ReadLine() is { } line) lines.Add(line);
        child.WaitForExit();
        if (child.ExitCode != 0) throw new InvalidOperationException($"allocator child failed: {string.Join(" / ", lines)}");
        foreach (var line in lines)
        {
            int tab = line.LastIndexOf('\t');
            yield return (line[..tab], double.Parse(line[(tab + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public const string AllocatorChildCommand = "--allocator-child";

    /// <summary>The child's side: pure TorchSharp, thresholds set here (same values as NativeMemoryTuning) or not.</summary>
    public static void AllocatorChild(bool tuned)
    {
        if (tuned)
        {
            MallOpt(M_MMAP_THRESHOLD, 128 << 20);
            MallOpt(M_TRIM_THRESHOLD, 512 << 20);
        }
        var conv3 = nn.Conv2d(16, 16, 3, padding: 1, bias: false);
        var dw5 = nn.Conv2d(16, 16, 5, padding: 2, groups: 16, bias: false);
        var bn = nn.BatchNorm2d(16);
        Modules.AddRange([conv3, dw5, bn]);
        var ops = new (string, Func<Tensor, Tensor>, Func<Tensor>)[]
        {
            ("conv 3x3 16->16, NCHW", x => conv3.call(x), () => randn(64, 16, 28, 28).requires_grad_(true)),
            ("conv 3x3 16->16, channels-last", x => conv3.call(x), () => ToChannelsLast(randn(64, 16, 28, 28)).requires_grad_(true)),
            ("depthwise conv 5x5, NCHW", x => dw5.call(x), () => randn(64, 16, 28, 28).requires_grad_(true)),
            ("ReLU-conv 3x3-batch norm, channels-last", x => bn.call(conv3.call(nn.functional.relu(x))), () => ToChannelsLast(randn(64, 16, 28, 28)).requires_grad_(true)),
        };
        foreach (var (name, forward, input) in ops)
        {
            for (int i = 0; i < 3; i++) TimeOp(forward, input, 1);
            Console.WriteLine($"{name}\t{TimeOp(forward, input, 20).ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }
    }

    private static readonly List<nn.Module> Modules = [];

    // A fresh input and cleared weight gradients before each repetition, outside the timed part, so no repetition
    // pays for accumulating into an earlier gradient.
    private static double TimeOp(Func<Tensor, Tensor> forward, Func<Tensor> input, int reps)
    {
        var samples = new List<double>();
        for (int r = -1; r < reps; r++)
        {
            using var scope = NewDisposeScope();
            foreach (var m in Modules) m.zero_grad();
            var x = input();
            double ms = Stats.Milliseconds(() =>
            {
                var y = forward(x);
                y.backward([ones_like(y)]);
            });
            if (r >= 0) samples.Add(ms);
        }
        return Stats.Median(samples);
    }

    private static void Add<TKey>(Dictionary<TKey, List<double>> times, TKey key, double value) where TKey : notnull
    {
        if (!times.TryGetValue(key, out var list)) times[key] = list = [];
        list.Add(value);
    }
}
