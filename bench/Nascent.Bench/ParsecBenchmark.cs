using System.Diagnostics;
using System.Globalization;
using System.Text;
using Nascent.Core;
using Nascent.Data;
using Nascent.Nn;
using Nascent.Spaces;
using Nascent.Strategies;
using Nascent.Training;
using static TorchSharp.torch;

namespace Nascent.Bench;

/// <summary>
/// Peak memory and step time of one supernet step of PARSEC, DARTS and plain training of one child network, on the
/// same space (nb201, C = 16, 1 cell per stage, batch-statistics batch norm), batch size and MNIST images. Each
/// method runs in a child process of its own, so one method's freed memory cannot hide another's peak: the child loads
/// the data and builds its network, then resets the kernel's peak-RSS counter (writing 5 to /proc/self/clear_refs),
/// runs its steps, and reads VmHWM (peak resident set) from /proc/self/status. "Growth" is that peak minus the
/// resident set at the reset: the memory the steps themselves needed.
/// </summary>
internal static class ParsecBenchmark
{
    public const string ChildCommand = "--parsec-child";
    private const string Child = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|";
    private const int WarmupSteps = 3, TimedSteps = 10, Samples = 4;

    private static readonly (string Method, string Description)[] Methods =
    [
        ("child", "plain training of one child network: the standalone network of the heaviest path (every edge nor_conv_3x3)"),
        ("rsws", "supernet, one uniformly sampled path per step (random search with weight sharing)"),
        ("parsec", $"PARSEC, K = {Samples}: K scored without gradients, then the ω-weighted losses back-propagated one architecture at a time, π updated"),
        ("parsec-all-graphs", $"the same PARSEC gradient with all K = {Samples} graphs held at once (−log Σ exp ℓ_k, one backward): what the two passes avoid"),
        ("darts", "first-order DARTS: one mixed-operation step of the weights (train batch) and one of α (second batch)"),
    ];

    public static string Run(int[]? batches = null)
    {
        batches ??= [64, 128];
        var md = new StringBuilder();
        md.AppendLine($"Peak resident memory (VmHWM) and median step time, nb201 supernet C = 16, 1 cell per stage, MNIST; each method in its own process: data loaded and network built, peak counter reset, {WarmupSteps} warm-up + {TimedSteps} timed steps, peak read. Growth = peak − resident set at the reset. Ratios are against plain training of one child at the same batch size.");
        md.AppendLine();
        foreach (var (method, description) in Methods) md.AppendLine($"- `{method}`: {description}");
        md.AppendLine();
        md.AppendLine("| batch | method | peak RSS MB | growth MB | peak / child | growth / child | step ms | step / child |");
        md.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|");
        var summary = new List<string>();
        foreach (int batch in batches)
        {
            var results = Methods.Select(m => (m.Method, Result: RunChild(m.Method, batch))).ToList();
            var child = results[0].Result;
            foreach (var (method, r) in results)
                md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {batch} | {method} | {r.PeakKb / 1024.0:F0} | {r.GrowthKb / 1024.0:F0} | {(double)r.PeakKb / child.PeakKb:F2} | {(double)r.GrowthKb / child.GrowthKb:F2} | {r.StepMs:F0} | {r.StepMs / child.StepMs:F2} |"));
            var parsec = results.First(x => x.Method == "parsec").Result;
            var darts = results.First(x => x.Method == "darts").Result;
            double ratio = (double)parsec.PeakKb / child.PeakKb;
            summary.Add(string.Create(CultureInfo.InvariantCulture,
                $"- batch {batch}: PARSEC peak / one child's peak {ratio:F2} (target <= 1.3: {(ratio <= 1.3 ? "met" : "missed")}), growth {(double)parsec.GrowthKb / child.GrowthKb:F2}; DARTS peak / child {(double)darts.PeakKb / child.PeakKb:F2}, growth {(double)darts.GrowthKb / child.GrowthKb:F2}"));
        }
        md.AppendLine();
        foreach (var s in summary) md.AppendLine(s);
        return md.ToString();
    }

    private sealed record ChildResult(long BaselineKb, long PeakKb, double StepMs)
    {
        public long GrowthKb => PeakKb - BaselineKb;
    }

    private static ChildResult RunChild(string method, int batch)
    {
        string self = Environment.ProcessPath!;
        var info = new ProcessStartInfo(self) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") info.ArgumentList.Add(typeof(ParsecBenchmark).Assembly.Location);
        info.ArgumentList.Add(ChildCommand);
        info.ArgumentList.Add(method);
        info.ArgumentList.Add(batch.ToString(CultureInfo.InvariantCulture));
        using var process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        var parts = last.Split('\t');
        if (process.ExitCode != 0 || parts.Length != 3) throw new InvalidOperationException($"{method} child failed: {output}");
        Console.Error.WriteLine($"  {method} batch {batch}: {last}");
        return new ChildResult(long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture),
            double.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    /// <summary>The child's side: one method, then "baseline_kb TAB peak_kb TAB median_step_ms" on stdout.</summary>
    public static void RunMethod(string method, int batch)
    {
        var space = Nb201Space.Instance;
        using var data = DatasetLoader.Load(new DataOptions
        {
            Dataset = DatasetKind.Mnist, DataDirectory = DataDirectories.Resolve(null), TrainSubset = 20 * batch, ValidationSize = 2 * batch,
        }, null);
        var options = new NetworkOptions(1, 10, 16, 1, TrackRunningStats: false);
        manual_seed(0);
        var random = new SeededRandom(0);
        using var network = method == "child"
            ? NetworkFactory.CreateStandalone(space.Parse(Child), options)
            : NetworkFactory.CreateSupernet(space, options);
        using var trainer = new Trainer(network, new TrainingOptions { BatchSize = batch }, 1000);
        var sampler = new BatchSampler(data.Train, batch, 0, dropLast: true);
        var parsec = new Parsec(space, 0, new ParsecOptions { Samples = Samples });
        parsec.Plan(1000);
        using var darts = new Darts(space, 0);
        var child = space.Parse(Child);
        using var allGraphsOptimizer = optim.SGD(network.parameters(), 0.05, momentum: 0.9, nesterov: true, weight_decay: 3e-4);

        void Step()
        {
            using var scope = NewDisposeScope();
            var (images, labels) = sampler.Next();
            switch (method)
            {
                case "child":
                    trainer.Step(images, labels, child);
                    break;
                case "rsws":
                    trainer.Step(images, labels, space.Sample(random));
                    break;
                case "parsec":
                {
                    var samples = parsec.NextTrainingSamples();
                    var (ll, _, _) = trainer.StepImportanceWeighted(images, labels, samples, parsec.Options.MinimumWeight);
                    parsec.Update(samples, ll);
                    break;
                }
                case "parsec-all-graphs":
                {
                    var samples = parsec.NextTrainingSamples();
                    AllGraphsStep(network, allGraphsOptimizer, images, labels, samples);
                    break;
                }
                case "darts":
                {
                    trainer.Step(images, labels, x => network.ForwardMixed(x, darts.MixingWeights(detached: true)));
                    var (valImages, valLabels) = sampler.Next();
                    darts.UpdateArchitecture(network, valImages, valLabels);
                    break;
                }
                default:
                    throw new ArgumentException($"unknown method {method}");
            }
        }

        GC.Collect();
        long baseline = ResetPeak();
        for (int i = 0; i < WarmupSteps; i++) Step();
        var times = new List<double>();
        for (int i = 0; i < TimedSteps; i++) times.Add(Stats.Milliseconds(Step));
        long peak = StatusKb("VmHWM");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{baseline}\t{peak}\t{Stats.Median(times):F1}"));
    }

    /// <summary>The PARSEC weight gradient computed the memory-hungry way: every sample's graph alive until one
    /// backward of −log Σ_k exp(ℓ_k) / B (the same gradient as the two passes; a test checks it).</summary>
    private static void AllGraphsStep(CellNetwork network, optim.Optimizer optimizer, Tensor images, Tensor labels,
        IReadOnlyList<Architecture> samples)
    {
        network.train();
        network.zero_grad();
        var perSample = samples.Select(a =>
            -nn.functional.cross_entropy(network.Forward(images, a), labels, reduction: nn.Reduction.Sum)).ToArray();
        var loss = -logsumexp(stack(perSample), 0) / images.shape[0];
        loss.backward();
        optimizer.step();
    }

    private static long ResetPeak()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); }
        catch (Exception e) { Console.Error.WriteLine($"cannot reset the peak RSS ({e.Message}); the peak includes loading"); }
        return StatusKb("VmRSS");
    }

    private static long StatusKb(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        throw new InvalidOperationException($"{field} not in /proc/self/status");
    }
}
