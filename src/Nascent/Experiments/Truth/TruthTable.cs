using System.Text.Json;

namespace Nascent.Experiments.Truth;

/// <summary>
/// How the truth table trains each cell: one fixed recipe for every cell and seed. The recipe is ours (no paper trains
/// NAS-Bench-201 cells on MNIST): the network is the default search's (C = 16, one cell per stage, as
/// <see cref="TrainingSettings"/>), the optimiser is <see cref="TrainingOptions"/>' defaults (SGD, Nesterov momentum
/// 0.9, lr 0.05 on a cosine schedule to 0, weight decay 3e-4, batch 64, clip 5), and the images and epochs were chosen
/// on a pilot so that two training seeds rank the cells alike (docs/BENCHMARKS.md, "Truth table").
/// </summary>
public sealed record TruthRecipe
{
    /// <summary>Isomorphism classes drawn, uniformly without replacement, from NAS-Bench-201's 6,466.</summary>
    public int Cells { get; init; } = 200;

    /// <summary>Training seeds per cell: seed s sets the initialisation and the batch order.</summary>
    public int Seeds { get; init; } = 2;

    /// <summary>Seed of the draw of classes.</summary>
    public ulong SampleSeed { get; init; }

    /// <summary>MNIST training images used (a fixed seeded subset of the 55,000 left after the 5,000 validation images).</summary>
    public int TrainImages { get; init; } = 5_000;

    public int Epochs { get; init; } = 1;

    public int Channels { get; init; } = 16;

    public int CellsPerStage { get; init; } = 1;

    public int BatchSize { get; init; } = 64;

    public TrainingOptions Training => new() { Epochs = Epochs, BatchSize = BatchSize };

    public void Validate()
    {
        if (Cells < 3) throw new NascentException($"A truth table needs at least 3 cells (got {Cells}).");
        if (Seeds < 1) throw new NascentException($"A truth table needs at least 1 seed (got {Seeds}).");
        if (TrainImages < BatchSize) throw new NascentException($"{TrainImages} training images make no batch of {BatchSize}.");
        if (Channels < 1 || CellsPerStage < 1) throw new NascentException("Channels and cells per stage must be at least 1.");
        Training.Validate();
    }
}

/// <summary>One cell trained with one seed.</summary>
public sealed record TruthRun(string Arch, int Seed, double TestAccuracy, long Parameters, double WallSeconds, double CpuSeconds);

/// <summary>What a finished (or partial) table holds: its runs, the seeds' agreement, and the machine time spent.</summary>
public sealed record TruthSummary(TruthRecipe Recipe, int CellsDone, IReadOnlyList<TruthRun> Runs, CorrelationEstimate? SeedSpearman,
    double WallSeconds, double CpuSeconds);

/// <summary>
/// A ground truth for weight-sharing searches on MNIST: a seeded draw of NAS-Bench-201 isomorphism classes
/// (<see cref="Nb201Space.FunctionKey"/>; one cell per class, so no function is counted twice), each trained standalone
/// from scratch with one recipe under every seed, and scored on the whole MNIST test set. Every run is appended to
/// a runs file beside the table as it finishes, so a stopped build resumes where it stopped (the recipe, kept in
/// <c>&lt;table&gt;.recipe.json</c>, must match); the table itself (<c>arch</c>, one <c>test_acc_seedS</c> column per
/// seed, their mean <c>test_acc</c>, <c>params</c>) is rewritten from the runs whenever every seed of a cell is in.
/// </summary>
public static class TruthTable
{
    public const string MeanColumn = "test_acc";

    public static string SeedColumn(int seed) => $"test_acc_seed{seed}";

    /// <summary>The representative of each class drawn: the class's first cell in <see cref="SearchSpace.Enumerate"/>
    /// order, the classes in a seeded random order, the first <see cref="TruthRecipe.Cells"/> of them.</summary>
    public static IReadOnlyList<Architecture> Draw(TruthRecipe recipe)
    {
        var representatives = new List<Architecture>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cell in Nb201Space.Instance.Enumerate())
            if (seen.Add(Nb201Space.FunctionKey(cell))) representatives.Add(cell);
        if (recipe.Cells > representatives.Count)
            throw new NascentException($"NAS-Bench-201 has {representatives.Count} classes of cells; {recipe.Cells} were asked for.");
        var order = new SeededRandom(recipe.SampleSeed).Permutation(representatives.Count);
        return order.Take(recipe.Cells).Select(i => representatives[i]).ToArray();
    }

    /// <summary>The MNIST splits a recipe trains and scores on: its fixed training subset and the whole test set.</summary>
    public static DataOptions DataFor(TruthRecipe recipe, string dataDirectory) =>
        new() { Dataset = DatasetKind.Mnist, DataDirectory = dataDirectory, TrainSubset = recipe.TrainImages };

    /// <summary>Trains every run of the recipe not yet in the runs files, then rewrites the table. With
    /// <paramref name="shards"/> &gt; 1, this process takes the runs whose position is <paramref name="shard"/> modulo
    /// <paramref name="shards"/> and appends to its own runs file (<c>&lt;table&gt;.runs.&lt;shard&gt;.csv</c>), so
    /// processes at one thread each can share the cores; every runs file beside the table is read back.</summary>
    public static TruthSummary Build(string tablePath, TruthRecipe recipe, DataSplits data, int shard = 0, int shards = 1,
        IProgress<ProgressEvent>? progress = null, CancellationToken cancellation = default)
    {
        recipe.Validate();
        if (shards < 1 || shard < 0 || shard >= shards) throw new NascentException($"Shard {shard} of {shards} does not exist: use 0 to {shards - 1}.");
        if (data.Train.Count != recipe.TrainImages)
            throw new NascentException($"The recipe trains on {recipe.TrainImages} images but the data holds {data.Train.Count}: load it with TruthTable.DataFor.");
        CheckRecipe(tablePath + ".recipe.json", recipe);
        var done = ReadRuns(tablePath);
        var cells = Draw(recipe);
        var pending = cells.SelectMany(c => Enumerable.Range(0, recipe.Seeds).Select(s => (Cell: c, Seed: s)))
            .Where((_, position) => position % shards == shard)
            .Where(p => !done.ContainsKey((p.Cell.ToString(), p.Seed))).ToArray();
        string runsPath = shards == 1 ? tablePath + ".runs.csv" : $"{tablePath}.runs.{shard}.csv";
        if (pending.Length > 0 && !File.Exists(runsPath)) File.WriteAllText(runsPath, RunsHeader + "\n");
        else if (pending.Length > 0 && !File.ReadAllText(runsPath).EndsWith('\n')) File.AppendAllText(runsPath, "\n"); // a line cut short by a stop stays apart
        var bar = new ProgressReporter(progress, "truth", pending.Length, "run");
        var process = Process.GetCurrentProcess();
        foreach (var (cell, seed) in pending)
        {
            cancellation.ThrowIfCancellationRequested();
            var wall = Stopwatch.StartNew();
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var (test, parameters) = TrainOne(cell, recipe, data, seed, cancellation);
            process.Refresh();
            var run = new TruthRun(cell.ToString(), seed, test, parameters, wall.Elapsed.TotalSeconds,
                (process.TotalProcessorTime - cpu).TotalSeconds);
            File.AppendAllText(runsPath, string.Create(CultureInfo.InvariantCulture,
                $"{run.Arch},{run.Seed},{run.TestAccuracy:F2},{run.Parameters},{run.WallSeconds:F2},{run.CpuSeconds:F2}\n"));
            done[(run.Arch, run.Seed)] = run;
            bar.SetStatus($"{test:F2} %");
            bar.Advance();
        }
        return Summarise(tablePath, recipe, cells, ReadRuns(tablePath));
    }

    /// <summary>The true accuracy of any cell: the table's mean where it holds the cell or one computing the same function
    /// (<see cref="RankingAnalysis.TruthRow"/>), otherwise the cell trained under the table's recipe (read from its
    /// recipe file) with every seed, as a row of the table would be; <c>Retrained</c> says which.</summary>
    public static (double Accuracy, bool Retrained) TrueAccuracy(string tablePath, Architecture cell, string dataDirectory,
        IProgress<ProgressEvent>? progress = null, CancellationToken cancellation = default)
    {
        var table = TabularBenchmark.Load([tablePath], cell.Space, [MeanColumn]);
        if (RankingAnalysis.TruthRow(table, cell) is { } row) return (table.Value(row, 0), false);
        string recipePath = tablePath + ".recipe.json";
        if (!File.Exists(recipePath)) throw new NascentException($"{tablePath} has no row for {cell} and no {recipePath} to train it by.");
        var recipe = JsonSerializer.Deserialize<TruthRecipe>(File.ReadAllText(recipePath), RecipeJson)!;
        using var data = DatasetLoader.Load(DataFor(recipe, dataDirectory), progress);
        return (Enumerable.Range(0, recipe.Seeds).Average(seed => TrainOne(cell, recipe, data, seed, cancellation).TestAccuracy), true);
    }

    /// <summary>One cell trained from scratch under the recipe with one seed: its test accuracy and parameters.</summary>
    private static (double TestAccuracy, long Parameters) TrainOne(Architecture cell, TruthRecipe recipe, DataSplits data, int seed,
        CancellationToken cancellation)
    {
        var network = new NetworkOptions(data.Train.Channels, data.Train.Classes, recipe.Channels, recipe.CellsPerStage);
        using var trained = ChildTraining.Train(cell, network, recipe.Training, data.Train, (ulong)seed, cancellation: cancellation);
        return (Accuracy.Measure(trained, cell, data.Test.Images, data.Test.Labels, 500).AccuracyPercent, trained.ParameterCount());
    }

    private const string RunsHeader = "arch,seed,test_acc,params,wall_seconds,cpu_seconds";

    private static TruthSummary Summarise(string tablePath, TruthRecipe recipe, IReadOnlyList<Architecture> cells,
        Dictionary<(string Arch, int Seed), TruthRun> done)
    {
        var complete = cells.Select(c => c.ToString())
            .Where(a => Enumerable.Range(0, recipe.Seeds).All(s => done.ContainsKey((a, s)))).ToArray();
        var text = new StringBuilder();
        text.Append(TabularBenchmark.ArchitectureColumn).Append(',')
            .AppendJoin(',', Enumerable.Range(0, recipe.Seeds).Select(SeedColumn)).Append($",{MeanColumn},params\n");
        foreach (var arch in complete)
        {
            var runs = Enumerable.Range(0, recipe.Seeds).Select(s => done[(arch, s)]).ToArray();
            text.Append(arch).Append(',')
                .AppendJoin(',', runs.Select(r => r.TestAccuracy.ToString("F2", CultureInfo.InvariantCulture)))
                .Append(string.Create(CultureInfo.InvariantCulture, $",{runs.Average(r => r.TestAccuracy):F3},{runs[0].Parameters}\n"));
        }
        if (complete.Length > 0) File.WriteAllText(tablePath, text.ToString());
        CorrelationEstimate? agreement = null;
        if (recipe.Seeds >= 2 && complete.Length >= 3)
            agreement = Correlation.SpearmanWithInterval(complete.Select(a => done[(a, 0)].TestAccuracy).ToArray(),
                complete.Select(a => done[(a, 1)].TestAccuracy).ToArray(), new SeededRandom(recipe.SampleSeed + 1));
        var all = done.Values.ToArray();
        return new TruthSummary(recipe, complete.Length, all, agreement, all.Sum(r => r.WallSeconds), all.Sum(r => r.CpuSeconds));
    }

    private static void CheckRecipe(string recipePath, TruthRecipe recipe)
    {
        string json = JsonSerializer.Serialize(recipe, RecipeJson);
        if (!File.Exists(recipePath)) { File.WriteAllText(recipePath, json + "\n"); return; }
        var stored = JsonSerializer.Deserialize<TruthRecipe>(File.ReadAllText(recipePath), RecipeJson);
        if (stored != recipe)
            throw new NascentException($"{recipePath} holds another recipe ({File.ReadAllText(recipePath).ReplaceLineEndings(" ").Trim()}): " +
                "resume with the same settings, or build the table under another name.");
    }

    private static readonly JsonSerializerOptions RecipeJson = new() { WriteIndented = true, IgnoreReadOnlyProperties = true };

    /// <summary>The runs in every runs file beside the table (a run found twice, as after a change of shards, once).</summary>
    private static Dictionary<(string Arch, int Seed), TruthRun> ReadRuns(string tablePath)
    {
        var runs = new Dictionary<(string Arch, int Seed), TruthRun>();
        string folder = Path.GetDirectoryName(Path.GetFullPath(tablePath))!;
        foreach (var file in Directory.EnumerateFiles(folder, Path.GetFileName(tablePath) + ".runs*.csv").Order(StringComparer.Ordinal))
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var c = line.Split(',');
                if (c.Length != 6) continue; // a line cut short by a stop: that run is trained again
                var run = new TruthRun(c[0], int.Parse(c[1], CultureInfo.InvariantCulture), double.Parse(c[2], CultureInfo.InvariantCulture),
                    long.Parse(c[3], CultureInfo.InvariantCulture), double.Parse(c[4], CultureInfo.InvariantCulture), double.Parse(c[5], CultureInfo.InvariantCulture));
                runs.TryAdd((run.Arch, run.Seed), run);
            }
        return runs;
    }
}
