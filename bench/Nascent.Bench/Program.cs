using Nascent.Bench;

if (args.Length == 3 && args[0] == ParsecBenchmark.ChildCommand) { ParsecBenchmark.RunMethod(args[1], int.Parse(args[2])); return 0; }
if (args.Length == 2 && args[0] == OpProfile.AllocatorChildCommand) { OpProfile.AllocatorChild(args[1] == "tuned"); return 0; }
// dotnet run -c Release --project bench/Nascent.Bench -- [supernet|throughput|ops|steps|controller|parsec|all ...] [--no-write]
var known = new (string Name, string Title, Func<string> Run)[]
{
    ("supernet", "Supernet step over a standalone network of the same path", () => SupernetBenchmark.Run()),
    ("throughput", "Training throughput on MNIST, beside PyTorch", () => ThroughputBenchmark.Run()),
    ("ops", "Forward+backward time per operation, 2 vs 1 threads", () => OpProfile.Run()),
    ("steps", "Where an NB201 training step spends its time", () => StepProfile.Run()),
    ("controller", "ENAS controller: time per sampled architecture", () => ControllerBenchmark.Run()),
    ("parsec", "PARSEC, DARTS and one child: peak memory and step time", () => ParsecBenchmark.Run()),
};
bool write = !args.Contains("--no-write");
var chosen = args.Where(a => !a.StartsWith("--")).ToList();
if (chosen.Count == 0 || chosen.Contains("all")) chosen = known.Select(k => k.Name).ToList();
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
        $"Command: `dotnet run -c Release --project bench/Nascent.Bench -- {name}`  \n" +
        $"Measured: {machine.Describe()}; load average at end {MachineInfo.Capture().LoadAverage}.\n\n" +
        table;
    Console.WriteLine(section);
    if (write) BenchmarksDocument.WriteSection(document, name, section);
}
if (write) Console.Error.WriteLine($"updated {document}");
return 0;
