namespace Nascent.Bench;

/// <summary>
/// docs/BENCHMARKS.md: each benchmark owns the text between <c>&lt;!-- bench:NAME --&gt;</c> and
/// <c>&lt;!-- /bench:NAME --&gt;</c>; everything else in the file is left as it is.
/// </summary>
internal static class BenchmarksDocument
{
    private const string Header = "# Benchmarks\n\nFigures below are written by `bench/Nascent.Bench` between marker comments; " +
        "text outside the markers is kept when they are rewritten.\n";

    public static string DefaultPath() => Path.Combine(RepositoryRoot(), "docs", "BENCHMARKS.md");

    public static void WriteSection(string path, string name, string body)
    {
        string open = $"<!-- bench:{name} -->", close = $"<!-- /bench:{name} -->";
        string text = File.Exists(path) ? File.ReadAllText(path) : Header;
        string block = $"{open}\n{body.TrimEnd()}\n{close}";
        int start = text.IndexOf(open, StringComparison.Ordinal);
        int end = start < 0 ? -1 : text.IndexOf(close, start, StringComparison.Ordinal);
        if (start >= 0 && end < 0) throw new InvalidOperationException($"{path}: '{open}' has no closing '{close}'.");
        text = start >= 0
            ? text[..start] + block + text[(end + close.Length)..]
            : text.TrimEnd() + "\n\n" + block + "\n";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>The folder holding Nascent.slnx (or .git), searched upwards from the working directory.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (dir.GetFiles("*.slnx").Length > 0 || dir.GetFiles("*.sln").Length > 0 || Directory.Exists(Path.Combine(dir.FullName, ".git")) || File.Exists(Path.Combine(dir.FullName, ".git")))
                return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
