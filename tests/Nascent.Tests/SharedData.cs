namespace Nascent.Tests;

/// <summary>
/// ../shared beside the repository (CI and developers' machines have it; a user's clone does not). Tests that read
/// it use <see cref="SharedDataFactAttribute"/> and are skipped, with the reason shown, when it is absent.
/// </summary>
public static class SharedData
{
    public static string? Nb201Folder { get; } = Locate();

    private static string? Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Nascent.slnx"))) continue;
            var folder = Path.Combine(dir.FullName, "..", "shared", "data", "nb201");
            return Directory.Exists(folder) ? Path.GetFullPath(folder) : null;
        }
        return null;
    }

    public static string Nb201File(string name) =>
        Path.Combine(Nb201Folder ?? throw new InvalidOperationException("shared data absent"), name);
}

/// <summary>A fact that needs ../shared/data/nb201; skipped with a visible reason where it is absent.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute()
    {
        if (SharedData.Nb201Folder is null)
            Skip = "../shared/data/nb201 is absent (a user's clone): NAS-Bench-201 table test skipped";
    }
}
