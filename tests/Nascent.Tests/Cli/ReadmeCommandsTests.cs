using System.Text;
using System.Text.RegularExpressions;
using Nascent.Cli;

namespace Nascent.Tests.Cli;

/// <summary>Every command line README.md shows parses through the command tree `nascent` runs: each command, option
/// and value in it is accepted (an unknown option, a misspelled command or a value of the wrong type is a parse error).</summary>
public sealed partial class ReadmeCommandsTests
{
    /// <summary>The arguments of each example: the `nascent ...` lines of the Examples block (a trailing `\` joins the
    /// next line, `#` starts a comment) and the `dotnet run ... -- ARGS` line of the set-up.</summary>
    public static TheoryData<string> Examples() => new(ReadExamples());

    private static List<string> ReadExamples()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "README.md"));
        var examples = new List<string>();
        foreach (var line in lines)
            if (DotnetRun().Match(line) is { Success: true } run) examples.Add(run.Groups[1].Value.Trim());
        int start = Array.FindIndex(lines, l => l.StartsWith("## Examples", StringComparison.Ordinal));
        Assert.True(start >= 0, "README.md has no Examples section");
        string? pending = null;
        for (int i = start + 1; i < lines.Length && !lines[i].StartsWith("## ", StringComparison.Ordinal); i++)
        {
            string code = StripComment(lines[i]).Trim();
            if (pending is null && !code.StartsWith("nascent ", StringComparison.Ordinal)) continue;
            pending = pending is null ? code["nascent ".Length..] : $"{pending} {code}";
            if (pending.EndsWith('\\')) { pending = pending[..^1].TrimEnd(); continue; }
            examples.Add(pending);
            pending = null;
        }
        Assert.Null(pending);
        return examples;
    }

    [Fact]
    public void The_readme_has_the_examples_this_test_reads()
    {
        var all = ReadExamples();
        Assert.Contains("search", all); // the set-up line
        foreach (var command in new[] { "search", "compare", "bench", "train", "report", "export", "data", "latency", "infer", "analyze" })
            Assert.Contains(all, e => e.StartsWith(command + " ", StringComparison.Ordinal));
        Assert.Contains(all, e => e.Contains("--strategy instanas"));
        Assert.Contains(all, e => e.Contains("--strategies rs,rea,nao --queries 150 --seeds 20")); // a joined continuation
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Each_example_parses_without_error(string example)
    {
        var args = Split(example);
        Assert.Empty(Commands.Parse(args));
    }

    /// <summary>The line without its shell comment (a '#' outside quotes, at the start or after a space).</summary>
    private static string StripComment(string line)
    {
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] == '"') quoted = !quoted;
            else if (line[i] == '#' && !quoted && (i == 0 || char.IsWhiteSpace(line[i - 1]))) return line[..i];
        }
        return line;
    }

    /// <summary>Shell words: split at spaces, double quotes kept together and removed.</summary>
    private static string[] Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool quoted = false, any = false;
        foreach (char c in line)
        {
            if (c == '"') { quoted = !quoted; any = true; }
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                if (any) words.Add(word.ToString());
                word.Clear();
                any = false;
            }
            else { word.Append(c); any = true; }
        }
        if (any) words.Add(word.ToString());
        return [.. words];
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "README.md")) && Directory.Exists(Path.Combine(dir.FullName, "src", "Nascent.Cli")))
                return dir.FullName;
        throw new DirectoryNotFoundException("README.md not found above the test binaries");
    }

    [GeneratedRegex(@"^\s*dotnet run .*?--project src/Nascent\.Cli -- (\S.*)$")]
    private static partial Regex DotnetRun();
}
