namespace Nascent.Tests;

/// <summary>
/// The offline NAS-Bench-201 tables, at ../shared/data/nb201 beside the repository (the folder holding
/// Nascent.slnx, found by walking up from the test's base directory). Never copied into the repository.
/// </summary>
public static class Nb201Data
{
    public static string? Folder { get; } = Locate();

    public static string Accuracy => Path.Combine(Folder!, "nb201_accuracy.csv");
    public static string TwelveEpoch => Path.Combine(Folder!, "nb201_12epoch.csv");
    public static string Latency => Path.Combine(Folder!, "hw_latency_nb201.csv");

    private static string? Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Nascent.slnx")))
            {
                string folder = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "nb201"));
                return File.Exists(Path.Combine(folder, "nb201_accuracy.csv")) ? folder : null;
            }
        return null;
    }
}

/// <summary>A fact that is reported as skipped, with the reason, when the NAS-Bench-201 tables are absent.</summary>
public sealed class Nb201FactAttribute : FactAttribute
{
    public Nb201FactAttribute()
    {
        if (Nb201Data.Folder is null)
            Skip = "NAS-Bench-201 tables not found at ../shared/data/nb201 beside the repository (nb201_accuracy.csv); test skipped.";
    }
}
