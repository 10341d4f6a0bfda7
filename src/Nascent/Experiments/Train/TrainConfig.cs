using Nascent.Export;
using Nascent.Experiments.Search;

namespace Nascent.Experiments.Train;

/// <summary>Training one architecture from scratch (`nascent train`): from a string, or from a run's best.
/// Defaults reach at least 99.0 % MNIST test accuracy with a searched architecture (docs/BENCHMARKS.md).</summary>
public sealed record TrainConfig
{
    [Setting("architecture string (NAS-Bench-201 form for nb201)")]
    public string? Arch { get; init; }
    /// <summary>A run directory whose result.json names the architecture (and its space and data set), or what
    /// nascent export wrote: its folder or its architecture.json.</summary>
    [Setting("train the best architecture of a search run (or an export folder of nascent export, or its architecture.json)")]
    public string? From { get; init; }
    [Setting("space of the architecture: nb201, enas-micro, enas-rnn or nao-rnn (default nb201, or the run's)")]
    public string? Space { get; init; }
    [Setting("nodes per cell (enas-micro 5, enas-rnn and nao-rnn 8)", Min = 1)]
    public int? Nodes { get; init; }
    /// <summary>The data (shared with search); the data set, when not named, is the run's (or mnist, ptb).</summary>
    public DataSettings Data { get; init; } = new() { TrainSubset = null };
    public TrainingSettings Training { get; init; } = new() { Epochs = 4 };
    [Setting("seed of the initialisation and the data order")]
    public ulong Seed { get; init; } = 0;
    [Setting("run directory (default runs/<time>-train)")]
    public string? Out { get; init; }
    /// <summary>Corpus, model size and windows when the architecture is a recurrent cell (or --model lstm).</summary>
    public LanguageModelSettings Language { get; init; } = new();

    /// <summary>The architecture, its space and data set: from --arch/--space/--dataset or from --from.</summary>
    public (Architecture Architecture, string Dataset) Resolve()
    {
        if ((Arch is null) == (From is null)) throw new NascentException("Give exactly one of --arch \"<architecture>\" or --from RUN_DIR.");
        if (Arch is not null)
        {
            var named = SpaceCatalog.Create(Space ?? "nb201", Nodes);
            return (named.Parse(Arch), Data.Dataset ?? (named is RecurrentCellSpace ? Language.DefaultDataset : DatasetKinds.Default));
        }
        string? exported = File.Exists(From) ? From
            : !File.Exists(Path.Combine(From!, "result.json")) && File.Exists(Path.Combine(From!, ArchitectureFile.FileName))
                ? Path.Combine(From!, ArchitectureFile.FileName) : null;
        if (exported is not null)
        {
            var file = ArchitectureFile.Read(exported);
            return (file.ToArchitecture(), Data.Dataset ?? file.Dataset ?? DatasetKinds.Default);
        }
        var result = RunDirectory.ReadJson<SearchResult>(Path.Combine(From!, "result.json"));
        var space = SpaceCatalog.Create(Space ?? result.Space, ReadNodes(From!) ?? Nodes);
        return (space.Parse(result.Best.Arch), Data.Dataset ?? result.Dataset);
    }

    private static int? ReadNodes(string runDirectory)
    {
        string path = Path.Combine(runDirectory, "config.json");
        return File.Exists(path) ? RunDirectory.ReadJson<SearchConfig>(path).Nodes : null;
    }

    public DataOptions DataOptions(string dataset) => DataFor(dataset).ImageOptions(Seed);

    /// <summary>The data settings for <paramref name="dataset"/>, paths absolute. An image folder's settings left unset
    /// are the --from search run's (its folder or manifest, image size, channels, cache, augmentation), so a search's
    /// "train it" line runs as printed.</summary>
    public DataSettings DataFor(string dataset)
    {
        var data = Data with { Dataset = dataset };
        string config = From is null ? "" : Path.Combine(From, "config.json");
        if (DatasetKinds.Parse(dataset) == DatasetKind.Folder && data is { DataDir: null, Manifest: null } && File.Exists(config)
            && RunDirectory.ReadJson<SearchConfig>(config).Data is { } searched && (searched.DataDir ?? searched.Manifest) is not null)
            data = data with
            {
                DataDir = searched.DataDir, Manifest = searched.Manifest, ImageSize = data.ImageSize ?? searched.ImageSize,
                ImageChannels = data.ImageChannels ?? searched.ImageChannels, CacheDir = data.CacheDir ?? searched.CacheDir,
                Augment = data.Augment ?? searched.Augment, SkipBadImages = data.SkipBadImages || searched.SkipBadImages,
            };
        return data.WithFullPaths();
    }

    public NetworkOptions NetworkOptions(ImageDataset data) => Training.Network(data.Channels, data.Classes, supernet: false);
}
