using System.Diagnostics;

namespace Nascent.Tests.Cli;

/// <summary>Runs the real `nascent` program (Nascent.Cli.dll beside the tests) as a child process, for the tests that
/// need one: a kill (SIGKILL) and resume, and the program's own console. Each start costs a .NET and libtorch
/// start-up; everything else runs in process through <see cref="NascentCli"/>.</summary>
public static class CliProcess
{
    public static (int ExitCode, string Output, string Errors) Run(params string[] args) => Run(new Dictionary<string, string>(), args);

    /// <summary>Runs nascent with extra environment variables.</summary>
    public static (int ExitCode, string Output, string Errors) Run(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = Start(args, environment);
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"nascent {string.Join(' ', args)} did not finish");
        }
        return (process.ExitCode, output.Result, errors.Result);
    }

    /// <summary>Runs nascent and kills it (SIGKILL, no chance to clean up) as soon as a line it writes to standard
    /// error satisfies <paramref name="killWhen"/>. Returns false when it ended first.</summary>
    public static bool RunAndKill(Func<string, bool> killWhen, params string[] args)
    {
        using var process = Start(args);
        var output = process.StandardOutput.ReadToEndAsync();
        while (process.StandardError.ReadLine() is { } line)
        {
            if (!killWhen(line)) continue;
            process.Kill();
            process.WaitForExit();
            return true;
        }
        process.WaitForExit();
        return false;
    }

    private static Process Start(string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // libtorch's thread count of this test host (TorchThreads), so that a child's results equal those computed here.
        info.Environment["OMP_NUM_THREADS"] = TorchSharp.torch.get_num_threads().ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Nascent.Cli.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }
}
