using Nascent.Bench;

// Process-wide allocator tuning is the host's to set (the allocator child of OpProfile sets its own, or not).
if (!(args.Length == 2 && args[0] == OpProfile.AllocatorChildCommand)) Nascent.Core.NativeMemoryTuning.Apply();
if (args.Length == 3 && args[0] == ParsecBenchmark.ChildCommand) { ParsecBenchmark.RunMethod(args[1], int.Parse(args[2])); return 0; }
if (args.Length == 2 && args[0] == OpProfile.AllocatorChildCommand) { OpProfile.AllocatorChild(args[1] == "tuned"); return 0; }
// dotnet run -c Release --project bench/Nascent.Bench -- [supernet|throughput|ops|steps|controller|latency|parsec|instanas|rnn|enas-micro|onnx|queue|all ...] [--no-write] [--archs=N]
// --threads=N fixes libtorch's intra-op threads once, here, before any torch work (never later in a process).
int? threads = args.Where(a => a.StartsWith("--threads=")).Select(a => (int?)int.Parse(a["--threads=".Length..])).LastOrDefault();
if (threads is { } n) TorchSharp.torch.set_num_threads(n);
string? Flag(string name) => args.Where(a => a.StartsWith($"--{name}=")).Select(a => a[$"--{name}=".Length..]).LastOrDefault();
int archs = int.Parse(Flag("archs") ?? "100");
// truth and seed-claims: --table=PATH (the truth table), --shard=I/N (this process takes every Nth run);
// halving: --out=DIR --seeds=N; seed-claims: --out=DIR --seeds=N --variants=a,b --summary-only (train nothing, tabulate what is there)
// --start-within=MINUTES (begin no pair after that); truth: the recipe's --cells= --seeds= --train-images= --epochs= --channels= (TruthRecipe's defaults otherwise).
string truthTable = Flag("table") ?? TruthBenchmark.DefaultTable;
int[] shard = (Flag("shard") ?? "0/1").Split('/').Select(int.Parse).ToArray();
var recipeDefaults = new Nascent.Experiments.Truth.TruthRecipe();
var truthRecipe = recipeDefaults with
{
    Cells = int.Parse(Flag("cells") ?? recipeDefaults.Cells.ToString()),
    Seeds = int.Parse(Flag("seeds") ?? recipeDefaults.Seeds.ToString()),
    TrainImages = int.Parse(Flag("train-images") ?? recipeDefaults.TrainImages.ToString()),
    Epochs = int.Parse(Flag("epochs") ?? recipeDefaults.Epochs.ToString()),
    Channels = int.Parse(Flag("channels") ?? recipeDefaults.Channels.ToString()),
};
var known = new (string Name, string Title, Func<string> Run)[]
{
    ("supernet", "Supernet step over a standalone network of the same path", () => SupernetBenchmark.Run()),
    ("throughput", "Training throughput of every network family, beside PyTorch", () => ThroughputBenchmark.Run()),
    ("ops", "Forward+backward time per operation, 2 vs 1 threads", () => OpProfile.Run()),
    ("steps", "Where an NB201 training step spends its time", () => StepProfile.Run()),
    ("controller", "ENAS controller: time per sampled architecture", () => ControllerBenchmark.Run()),
    ("latency", "Latency: repeatability of the meter, and the lookup table against measurement", () => LatencyBenchmark.Run(archs)),
    ("parsec", "PARSEC, DARTS and one child: peak memory and step time", () => ParsecBenchmark.Run()),
    ("instanas", "InstaNAS meta-graph: training step by policy density", () => InstaNasBenchmark.Run()),
    ("rnn", "Language models: training tokens per second of a searched-space cell against TorchSharp's LSTM", () => RecurrentBenchmark.Run()),
    ("enas-micro", "ENAS micro child and supernet: parameters and step time", () => SupernetBenchmark.RunEnasMicro()),
    ("onnx", "ONNX export: ONNX Runtime against TorchSharp, largest difference and batch-1 latency", () => OnnxBenchmark.Run()),
    ("queue", "Trial queue: speed-up with a sleep evaluator at 1-16 workers, and claims per second", () => QueueBenchmark.Run()),
    ("truth", "Truth table: NAS-Bench-201 cells trained standalone on MNIST, two seeds each", () => TruthBenchmark.Run(truthTable, truthRecipe, shard[0], shard[1])),
    ("seed-claims", "Weight-sharing strategies over many seeds, scored by the truth table", () => SeedClaimsBenchmark.Run(
        Flag("out") ?? SeedClaimsBenchmark.DefaultOut, int.Parse(Flag("seeds") ?? "10"), truthTable, shard[0], shard[1], Flag("variants")?.Split(','),
        args.Contains("--summary-only"), Flag("start-within") is { } minutes ? TimeSpan.FromMinutes(double.Parse(minutes)) : null)),
    ("halving", "Ranking by successive halving against every candidate on all ranking images, same supernet", () => HalvingBenchmark.Run(
        Flag("out") ?? HalvingBenchmark.DefaultOut, int.Parse(Flag("seeds") ?? "10"))),
};
string[] notInAll = ["truth", "seed-claims", "halving"]; // minutes to hours of searches: asked for by name only
bool write = !args.Contains("--no-write");
var chosen = args.Where(a => !a.StartsWith("--")).ToList();
if (chosen.Count == 0 || chosen.Contains("all")) chosen = known.Select(k => k.Name).Except(notInAll).ToList();
var unknown = chosen.Where(c => known.All(k => k.Name != c)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"Unknown benchmark {string.Join(", ", unknown)}; choose from {string.Join(", ", known.Select(k => k.Name))}, all.");
    return 2;
}

string document = BenchmarksDocument.DefaultPath();
foreach (var (name, title, run) in known.Where(k => chosen.Contains(k.Name)))
{
    var machine = MachineInfo.Capture();
    Console.Error.WriteLine($"running {name} ...");
    string table = run();
    string section =
        $"### {title}\n\n" +
        $"Command: `dotnet run -c Release --project bench/Nascent.Bench -- {name}{(name == "latency" && archs != 100 ? $" --archs={archs}" : "")}{(name is "truth" or "seed-claims" or "halving" ? string.Concat(args.Where(a => a.StartsWith("--") && !a.StartsWith("--threads=")).Select(a => " " + a)) : "")}{(threads is { } t ? $" --threads={t}" : "")}`  \n" +
        $"Measured: {machine.Describe()}; load average at end {MachineInfo.Capture().LoadAverage}.\n\n" +
        table;
    Console.WriteLine(section);
    if (write) BenchmarksDocument.WriteSection(document, name, section);
}
if (write) Console.Error.WriteLine($"updated {document}");
return 0;
