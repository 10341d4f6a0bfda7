using TorchSharp;

namespace Nascent.Tests.Cli;

/// <summary>Runs `nascent` in this process through <see cref="global::Nascent.Cli.Program.Run"/>, the entry point
/// Main calls: the same exit codes and one-line errors, without a .NET and libtorch start-up per call. What a command
/// changes for the whole process (libtorch's thread count: latency, instanas search and infer) is put back after it
/// (to <see cref="TorchThreads.Count"/>, unless a test set another).
/// <see cref="CliProcess"/> runs the real program where a test needs a process of its own.</summary>
public static class NascentCli
{
    public static (int ExitCode, string Output, string Errors) Run(params string[] args)
    {
        int threads = torch.get_num_threads();
        using var output = new StringWriter();
        using var errors = new StringWriter();
        try
        {
            int code = global::Nascent.Cli.Program.Run(args, output, errors);
            return (code, output.ToString(), errors.ToString());
        }
        finally
        {
            if (torch.get_num_threads() != threads) torch.set_num_threads(threads);
        }
    }

    /// <summary>Asserts that nascent with <paramref name="args"/> fails as a user's mistake should: exit code 2, nothing
    /// on standard output, one line on standard error, "nascent: ..." containing <paramref name="expected"/>.</summary>
    public static void AssertOneLineError(string expected, params string[] args)
    {
        var (code, output, errors) = Run(args);
        AssertOneLineError(expected, code, output, errors);
    }

    public static void AssertOneLineError(string expected, int code, string output, string errors)
    {
        Assert.True(code == 2, $"exit code {code}; standard error: {errors}");
        string line = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("nascent: ", line);
        Assert.Contains(expected, line);
        Assert.Equal("", output);
    }
}
