namespace Nascent.Data;

/// <summary>Where data lives: --data-dir if given, else the NASCENT_DATA environment variable, else ~/.nascent/data.</summary>
public static class DataDirectories
{
    public const string EnvironmentVariable = "NASCENT_DATA";

    public static string Resolve(string? dataDirOption) =>
        Resolve(dataDirOption, Environment.GetEnvironmentVariable(EnvironmentVariable), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    // Separate from the environment so tests need not change process-wide state.
    internal static string Resolve(string? dataDirOption, string? environmentValue, string home)
    {
        string chosen = !string.IsNullOrWhiteSpace(dataDirOption) ? dataDirOption
            : !string.IsNullOrWhiteSpace(environmentValue) ? environmentValue
            : Path.Combine(home, ".nascent", "data");
        // A quoted "~/data" reaches us unexpanded; expand it as the shell would have.
        if (chosen == "~") chosen = home;
        else if (chosen.StartsWith("~/", StringComparison.Ordinal)) chosen = Path.Combine(home, chosen[2..]);
        return Path.GetFullPath(chosen);
    }

    /// <summary>The folder of one data set under the data root: mnist/, fashion-mnist/, cifar10/, cifar100/.</summary>
    public static string DatasetFolder(string dataDirectory, DatasetKind dataset) => dataset.IsBuiltIn()
        ? Path.Combine(dataDirectory, dataset.CliName())
        : throw new ArgumentException("An image folder is wherever the user keeps it: see ImageFolderOptions.", nameof(dataset));
}
