using System.Diagnostics;

namespace Nascent.Tests.Cli;

/// <summary>Runs the real `nascent` program (Nascent.Cli.dll beside the tests) as a child process.</summary>
public static class CliProcess
{
    public static (int ExitCode, string Output, string Errors) Run(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Nascent.Cli.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"nascent {string.Join(' ', args)} did not finish");
        }
        return (process.ExitCode, output.Result, errors.Result);
    }
}
