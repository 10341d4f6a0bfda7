namespace Nascent.Experiments;

/// <summary>The data a command trains on, as the user names it: shared by search, train, compare and InstaNAS.</summary>
public sealed record DataSettings
{
    /// <summary>null: the space's default (mnist for image cells; ptb, or text with a text file, for recurrent ones).</summary>
    [Setting("data set: mnist, fashion-mnist, cifar10, cifar100, folder (your images: --data-dir DIR or --manifest FILE); ptb or text for recurrent cells")]
    public string? Dataset { get; init; }

    /// <summary>null: NASCENT_DATA, else ~/.nascent/data (<see cref="DataDirectories.Resolve"/>). With the folder data
    /// set: the image folder itself (train/&lt;class&gt;/...), never written to.</summary>
    [Setting("data root (default $NASCENT_DATA or ~/.nascent/data); with --dataset folder, the image folder (DIR/train/<class>/*.png|jpg|jpeg|bmp|webp, optional DIR/val/, DIR/test/)")]
    public string? DataDir { get; init; }

    /// <summary>null: every training image left after carving validation.</summary>
    [Setting("training images used, a seeded random choice (unset: all)", Min = 1)]
    public int? TrainSubset { get; init; } = 10000;

    /// <summary>null: 5,000 for a built-in set; for a folder without val/, a tenth of its training images (at least one per class).</summary>
    [Setting("images carved from the training set for validation (default 5000; a folder: a tenth, stratified by class)", Min = 1)]
    public int? ValidationSize { get; init; }

    /// <summary>A CSV manifest instead of a folder: the images of the folder data set.</summary>
    [Setting("CSV of path,label[,split] lines, paths relative to its folder (the folder data set without --data-dir)")]
    public string? Manifest { get; init; }

    /// <summary>null: images as stored (one size for all). torchvision's Resize(N) then CenterCrop(N).</summary>
    [Setting("folder images: shorter side resized to N, then the centre N x N (unset: as stored, one size for all)", Min = 1)]
    public int? ImageSize { get; init; }

    /// <summary>null: grey when every file is grey, else colour.</summary>
    [Setting("folder images: 1 (grey) or 3 (colour) channels (unset: from the files)", Min = 1, Max = 3)]
    public int? ImageChannels { get; init; }

    [Setting("folder images: count and skip files that do not decode instead of stopping")]
    public bool SkipBadImages { get; init; }

    /// <summary>null: DATA_ROOT/cache, the data root being NASCENT_DATA or ~/.nascent/data (the folder's --data-dir is the images).</summary>
    [Setting("where decoded folder images are cached (default: the data root's cache/ folder)")]
    public string? CacheDir { get; init; }

    /// <summary>null: the data set's default (<see cref="ImageAugmentation.DefaultFor"/>). crop-flip is how DARTS
    /// (quark0/darts cnn/utils.py <c>_data_transforms_cifar10</c>), NAS-Bench-201 (D-X-Y/AutoDL-Projects
    /// lib/datasets/get_dataset_with_transform.py) and ENAS (paper, section 3.2) train on CIFAR; sources in full on
    /// <see cref="ImageAugmentation"/>.</summary>
    [Setting("training batch augmentation: none, crop-flip (random crop with padding 4, horizontal flip); default crop-flip for cifar10 and cifar100, none otherwise")]
    public string? Augment { get; init; }

    /// <summary>The loader's options for an image data set, split by <paramref name="seed"/>.</summary>
    public DataOptions ImageOptions(ulong seed, int? testSubset = null)
    {
        var kind = DatasetKinds.Parse(Dataset ?? DatasetKinds.Default);
        string root = DataDirectories.Resolve(kind == DatasetKind.Folder ? null : DataDir);
        return new()
        {
            Dataset = kind, DataDirectory = root,
            ValidationSize = ValidationSize, TrainSubset = TrainSubset, TestSubset = testSubset, Seed = seed,
            Augmentation = ImageAugmentation.Parse(Augment, kind, Settings.KeyOf(typeof(DataSettings), nameof(Augment))),
            Folder = kind != DatasetKind.Folder ? null : new ImageFolderOptions
            {
                Directory = DataDir is null ? null : Path.GetFullPath(DataDir),
                Manifest = Manifest is null ? null : Path.GetFullPath(Manifest),
                ImageSize = ImageSize, Channels = ImageChannels, SkipBadImages = SkipBadImages,
                CacheDirectory = Path.GetFullPath(CacheDir ?? Path.Combine(root, "cache")),
            },
        };
    }

    /// <summary>The same settings with the folder's paths made absolute, as config.json keeps them for a resume.</summary>
    public DataSettings WithFullPaths() => DatasetKinds.Parse(Dataset ?? DatasetKinds.Default) != DatasetKind.Folder ? this : this with
    {
        DataDir = DataDir is null ? null : Path.GetFullPath(DataDir),
        Manifest = Manifest is null ? null : Path.GetFullPath(Manifest),
        CacheDir = CacheDir is null ? null : Path.GetFullPath(CacheDir),
    };

    /// <summary>Checks an image data set's settings before anything is read: the augmentation's name, a folder's
    /// options, and no folder option on a built-in data set (where it would be silently ignored).</summary>
    public void Validate()
    {
        var options = ImageOptions(0);
        var kind = options.Dataset;
        if (options.Folder is { } folder)
        {
            ImageFolder.Validate(folder);
            return;
        }
        foreach (var (property, given) in new[]
        {
            (nameof(Manifest), Manifest is not null), (nameof(ImageSize), ImageSize is not null),
            (nameof(ImageChannels), ImageChannels is not null), (nameof(SkipBadImages), SkipBadImages), (nameof(CacheDir), CacheDir is not null),
        })
            if (given)
                throw NascentException.ForSetting(Settings.KeyOf(typeof(DataSettings), property),
                    $"{{setting}} belongs to the folder data set: add --dataset folder, or drop it for {kind.CliName()}");
    }
}
