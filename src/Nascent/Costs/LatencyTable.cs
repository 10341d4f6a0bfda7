using RuntimeInformation = System.Runtime.InteropServices.RuntimeInformation;
using System.Text.Json;

namespace Nascent.Costs;

/// <summary>
/// A latency lookup table (a device profile): every part of a space's networks timed once on one machine at one
/// network size, input shape and batch; an architecture's latency is predicted as the sum of its parts.
///
/// NAS-Bench-201 (the only space with a table so far): the fixed skeleton (<c>stem</c>, <c>stage_2/reduction</c>,
/// <c>stage_3/reduction</c>, <c>head</c>) and, for each stage s, each operation that is not none
/// (<c>stage_s/skip_connect</c>, <c>stage_s/nor_conv_1x1</c>, <c>stage_s/nor_conv_3x3</c>,
/// <c>stage_s/avg_pool_3x3</c>) and the cell's other tensor work (<c>stage_s/add</c>, one per operation into a node
/// that already holds a value; <c>stage_s/zeros</c>, one per zero tensor a cell creates; see
/// <see cref="Nb201Cell.ExtraWork"/>). All cells of a stage see the same shape, so each entry is timed once and
/// counted once per cell. Each entry is timed on the supernet's own module (same code path as a standalone
/// network) with <see cref="LatencyMeter"/>. Saved as JSON (<see cref="LatencyProfile"/>).
/// </summary>
public sealed class LatencyTable : ILatencyModel
{
    public const string FormatName = "nascent-latency-table/1";
    private const int Stages = 3;

    private readonly Dictionary<string, LatencyEntry> _entries;

    private LatencyTable(LatencyProfile profile, string source)
    {
        Profile = profile;
        Source = source;
        _entries = profile.Entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    public LatencyProfile Profile { get; }

    /// <summary>Where the table came from (its file, or "profiled here"), for messages.</summary>
    public string Source { get; }

    public int Batch => Profile.Batch;

    /// <summary>The network options the table was profiled at (running statistics, as a trained network).</summary>
    public NetworkOptions Network => new(Profile.InputChannels, Profile.Classes, Profile.Channels, Profile.Cells);

    /// <summary>Times every entry a space's table needs, on this machine, with the threads in use.</summary>
    public static LatencyTable Create(SearchSpace space, NetworkOptions network, int inputHeight, int inputWidth,
        LatencyOptions options, IProgress<ProgressEvent>? progress = null)
    {
        if (space is not Nb201Space)
            throw new NascentException($"No latency table for space {space.Name} yet (only nb201 has one): " +
                "use measured latency instead (nascent search measures each candidate when no --latency-table is given).");
        network.Validate();
        options.Validate();
        if (inputHeight < 1 || inputWidth < 1)
            throw new NascentException($"The input size must be at least 1 x 1 pixels (got {inputHeight} x {inputWidth}).");
        var entries = ProfileNb201(network with { TrackRunningStats = true }, inputHeight, inputWidth, options, progress);
        var profile = new LatencyProfile
        {
            Space = space.Name,
            InputChannels = network.InputChannels,
            InputHeight = inputHeight,
            InputWidth = inputWidth,
            Classes = network.Classes,
            Channels = network.Channels,
            Cells = network.Cells,
            Batch = options.Batch,
            Threads = get_num_threads(),
            Machine = MachineDescription(),
            TorchSharpVersion = typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "unknown",
            Created = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            Rounds = options.Rounds,
            Warmup = options.Warmup,
            Repeats = options.Repeats,
            MinSampleMs = options.MinSampleMs,
            Entries = entries,
        };
        return new LatencyTable(profile, "profiled here");
    }

    /// <summary>The options the table's entries were measured with (to measure whole networks alike).</summary>
    public LatencyOptions MeasurementOptions => new()
    {
        Batch = Profile.Batch, Rounds = Profile.Rounds, Warmup = Profile.Warmup, Repeats = Profile.Repeats, MinSampleMs = Profile.MinSampleMs,
    };

    public double PredictMs(Architecture architecture) =>
        Terms(architecture).Sum(t => t.Count * _entries[t.Entry].MedianMs);

    /// <summary>The entries an architecture's forward pass consists of, each with how many times it occurs;
    /// <see cref="PredictMs"/> is the sum of count x entry latency.</summary>
    public IReadOnlyList<(string Entry, int Count)> Terms(Architecture architecture)
    {
        if (architecture.Space is not Nb201Space)
            throw new NascentException($"Latency table {Source} is for space {Profile.Space}; it cannot price an architecture of space {architecture.Space.Name}.");
        var terms = new List<(string, int)> { ("stem", 1), ("stage_2/reduction", 1), ("stage_3/reduction", 1), ("head", 1) };
        var (zeros, additions) = Nb201Cell.ExtraWork(architecture.Choices);
        for (int stage = 1; stage <= Stages; stage++)
        {
            foreach (var group in architecture.Choices.Where(op => op != 0).GroupBy(op => op))
                terms.Add(($"stage_{stage}/{Nb201Space.Operations[group.Key]}", group.Count() * Profile.Cells));
            if (additions > 0) terms.Add(($"stage_{stage}/add", additions * Profile.Cells));
            if (zeros > 0) terms.Add(($"stage_{stage}/zeros", zeros * Profile.Cells));
        }
        return terms;
    }

    /// <summary>Fails with one line unless the table was profiled for this space, network and input shape.</summary>
    public void EnsureMatches(SearchSpace space, NetworkOptions network, int inputHeight, int inputWidth)
    {
        var wanted = Describe(space.Name, network.InputChannels, inputHeight, inputWidth, network.Classes, network.Channels, network.Cells);
        var have = Describe(Profile.Space, Profile.InputChannels, Profile.InputHeight, Profile.InputWidth, Profile.Classes, Profile.Channels, Profile.Cells);
        if (wanted != have)
            throw new NascentException($"Latency table {Source} was profiled for {have}, but this run uses {wanted}: " +
                "profile a matching table with 'nascent latency profile'.");
    }

    /// <summary>One line: the space, shape and network size the table is for.</summary>
    public string Description => Describe(Profile.Space, Profile.InputChannels, Profile.InputHeight, Profile.InputWidth,
        Profile.Classes, Profile.Channels, Profile.Cells) + $", batch {Profile.Batch}, {Profile.Threads} thread(s)";

    private static string Describe(string space, int channels, int height, int width, int classes, int width0, int cells) =>
        $"{space} at input {channels}x{height}x{width}, {classes} classes, {width0} channels, {cells} cell(s) per stage";

    public void Save(string path)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        string temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(Profile, RunDirectory.Json) + "\n");
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads a table written by <see cref="Save"/>; a missing, malformed or incomplete file is one
    /// <see cref="NascentException"/> line naming the file.</summary>
    public static LatencyTable Load(string path)
    {
        if (!File.Exists(path))
            throw new NascentException($"Latency table {path} not found: write one with 'nascent latency profile --out {path}'.");
        LatencyProfile? profile;
        try
        {
            profile = JsonSerializer.Deserialize<LatencyProfile>(File.ReadAllText(path), RunDirectory.Json);
        }
        catch (JsonException e)
        {
            throw new NascentException($"Latency table {path} is not valid JSON ({e.Message}).");
        }
        if (profile is null) throw new NascentException($"Latency table {path} is empty.");
        string? problem = Validate(profile);
        if (problem is not null)
            throw new NascentException($"Latency table {path} is not a usable {FormatName} file: {problem}.");
        return new LatencyTable(profile, path);
    }

    private static string? Validate(LatencyProfile p)
    {
        if (p.Format != FormatName) return $"format is '{p.Format}', expected '{FormatName}'";
        if (p.Space != Nb201Space.Instance.Name) return $"space '{p.Space}' has no latency table (only nb201)";
        foreach (var (name, value) in new[] { ("input_channels", p.InputChannels), ("input_height", p.InputHeight),
                     ("input_width", p.InputWidth), ("classes", p.Classes), ("channels", p.Channels), ("cells", p.Cells),
                     ("batch", p.Batch), ("rounds", p.Rounds), ("warmup", p.Warmup), ("repeats", p.Repeats) })
            if (value < 1) return $"{name} must be at least 1 (got {value})";
        if (p.Entries is null) return "it has no entries";
        foreach (var entry in p.Entries)
        {
            if (entry is null || string.IsNullOrEmpty(entry.Name)) return "an entry has no name";
            if (!double.IsFinite(entry.MedianMs) || entry.MedianMs < 0) return $"entry '{entry.Name}' has latency {entry.MedianMs}";
        }
        var duplicate = p.Entries.GroupBy(e => e.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) return $"entry '{duplicate.Key}' is given twice";
        var missing = Nb201EntryNames().Except(p.Entries.Select(e => e.Name)).FirstOrDefault();
        if (missing is not null) return $"entry '{missing}' is missing";
        return null;
    }

    private static IEnumerable<string> Nb201EntryNames()
    {
        yield return "stem";
        for (int stage = 1; stage <= Stages; stage++)
        {
            if (stage > 1) yield return $"stage_{stage}/reduction";
            foreach (var op in Nb201Space.Operations.Skip(1)) yield return $"stage_{stage}/{op}";
            yield return $"stage_{stage}/add";
            yield return $"stage_{stage}/zeros";
        }
        yield return "head";
    }

    private static List<LatencyEntry> ProfileNb201(NetworkOptions network, int height, int width, LatencyOptions options,
        IProgress<ProgressEvent>? progress)
    {
        using var supernet = (Nb201Network)NetworkFactory.CreateSupernet(Nb201Space.Instance, network);
        supernet.eval();
        var entries = new List<LatencyEntry>();
        var bar = new ProgressReporter(progress, "profile", Nb201EntryNames().Count(), "entry");
        long[] shape = [options.Batch, network.InputChannels, height, width];

        void Time(string name, Func<Tensor, Tensor> forward)
        {
            var m = LatencyMeter.Measure(forward, shape, options);
            entries.Add(new LatencyEntry(name, shape.ToArray(), m.MedianMs, m.Spread, m.RoundSpread, m.Samples, m.CallsPerSample));
            bar.Advance();
        }

        Time("stem", x => supernet.Stem.call(x));
        shape = OutputShape(supernet.Stem, shape);
        int stage = 1;
        bool stageTimed = false;
        foreach (var layer in supernet.Layers)
        {
            if (layer is Nb201Cell cell)
            {
                if (stageTimed) continue; // every cell of a stage has the same shape and modules
                for (int op = 1; op < Nb201Space.Operations.Count; op++)
                {
                    var module = cell.Operation(0, op);
                    Time($"stage_{stage}/{Nb201Space.Operations[op]}", x => module.call(x));
                }
                Time($"stage_{stage}/add", x => x + x);
                Time($"stage_{stage}/zeros", x => zeros_like(x));
                stageTimed = true;
            }
            else
            {
                stage++;
                stageTimed = false;
                Time($"stage_{stage}/reduction", x => layer.call(x));
                shape = OutputShape(layer, shape);
            }
        }
        Time("head", x => supernet.Head(x));
        return entries;
    }

    private static long[] OutputShape(nn.Module<Tensor, Tensor> module, long[] inputShape)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        return module.call(zeros(inputShape)).shape;
    }

    /// <summary>CPU model, logical cores and operating system of this machine.</summary>
    public static string MachineDescription()
    {
        string cpu = "unknown CPU";
        if (File.Exists("/proc/cpuinfo"))
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null) cpu = line[(line.IndexOf(':') + 1)..].Trim();
        }
        return $"{cpu}; {Environment.ProcessorCount} logical cores; {RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture}";
    }
}

/// <summary>One timed part of a network: its input shape (batch first), milliseconds per call (median of the
/// rounds' medians), spread within the samples ((p90 - p10) / median), spread between rounds ((max - min) / median),
/// samples and calls per sample (<see cref="LatencyMeasurement"/>).</summary>
public sealed record LatencyEntry(string Name, IReadOnlyList<long> Input, double MedianMs, double Spread,
    double RoundSpread, int Samples, int CallsPerSample);

/// <summary>A latency table as saved (JSON, snake_case): what it was profiled for, on what, how, and its entries.</summary>
public sealed record LatencyProfile
{
    public string Format { get; init; } = LatencyTable.FormatName;
    public string Space { get; init; } = "";
    public int InputChannels { get; init; }
    public int InputHeight { get; init; }
    public int InputWidth { get; init; }
    public int Classes { get; init; }
    public int Channels { get; init; }
    public int Cells { get; init; }
    public int Batch { get; init; }
    /// <summary>libtorch intra-op threads in use while profiling.</summary>
    public int Threads { get; init; }
    public string Machine { get; init; } = "";
    public string TorchSharpVersion { get; init; } = "";
    public string Created { get; init; } = "";
    public int Rounds { get; init; }
    public int Warmup { get; init; }
    public int Repeats { get; init; }
    public double MinSampleMs { get; init; }
    public IReadOnlyList<LatencyEntry> Entries { get; init; } = [];
}
