using System.Diagnostics;
using Nascent.Experiments.Execution;
using Nascent.Tests.Data;
using Nascent.Tests.Tabular;

namespace Nascent.Tests.Cli;

/// <summary>A run directory has one coordinator at a time, and a full disk ends a search with one line, keeping
/// every trial it had recorded.</summary>
public sealed class RunGuardTests(SyntheticTable table) : IClassFixture<SyntheticTable>, IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string[] SearchArgs(string folder, int queries) =>
        ["search", "--table", table.Path, "--objective", "score", "--report", "test", "--strategy", "rea",
         "--queries", queries.ToString(), "--seed", "4", "--checkpoint-every", "0", "--out", folder, "--quiet"];

    [Fact]
    public void A_second_coordinator_on_a_run_directory_refuses_naming_the_holder()
    {
        string folder = Path.Combine(_temp.Path, "run");
        var (code, _, errors) = NascentCli.Run(SearchArgs(folder, 20));
        Assert.True(code == 0, errors);
        var before = RunOutcome.FinishedTrials(folder);

        using (RunLock.Acquire(folder)) // the first coordinator, still running
        {
            NascentCli.AssertOneLineError($"is in use by pid {Environment.ProcessId} on {Environment.MachineName} since ",
                "search", "--resume", folder);
            NascentCli.AssertOneLineError("is in use by pid", SearchArgs(folder, 20));
            Assert.Equal(before, RunOutcome.FinishedTrials(folder)); // nothing was added
        }
        // Released (its process ended): the run resumes.
        (code, _, errors) = NascentCli.Run("search", "--resume", folder, "--quiet");
        Assert.True(code == 0, errors);
        Assert.Equal(before, RunOutcome.FinishedTrials(folder));
    }

    [Fact]
    public void The_lock_is_held_against_another_process_and_released_when_it_dies()
    {
        string folder = _temp.Sub("locked");
        // flock(1) takes the same kind of lock .NET's FileShare.None takes; a process of its own holds it.
        using var holder = Process.Start(new ProcessStartInfo("flock", ["-x", Path.Combine(folder, RunLock.FileName), "sleep", "30"]))!;
        try
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(10))
            {
                try
                {
                    using var _ = RunLock.Acquire(folder);
                    Thread.Sleep(50); // flock has not started yet
                }
                catch (global::Nascent.Core.NascentException e)
                {
                    Assert.Contains("is in use by", e.Message);
                    break;
                }
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the other process never held the lock");
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            holder.WaitForExit();
        }
        // The kernel drops a dead holder's lock (flock's child, which shares it, may take a moment to die).
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                using (RunLock.Acquire(folder)) return;
            }
            catch (global::Nascent.Core.NascentException) when (attempt < 50)
            {
                Thread.Sleep(100);
            }
        }
    }

    [RootFact]
    public void A_full_disk_ends_with_one_line_and_the_run_resumes_once_there_is_room()
    {
        string whole = Path.Combine(_temp.Path, "whole");
        var (code, _, errors) = NascentCli.Run(SearchArgs(whole, 400));
        Assert.True(code == 0, errors);

        string mount = _temp.Sub("small-disk");
        Shell($"mount -t tmpfs -o size=160k tmpfs {mount}");
        try
        {
            string folder = Path.Combine(mount, "run");
            (code, string output, errors) = NascentCli.Run(SearchArgs(folder, 400));
            NascentCli.AssertOneLineError("is full", code, output, errors);
            Assert.Contains("trials finished so far are kept", errors);
            int kept = RunOutcome.FinishedTrials(folder).Count;
            Assert.InRange(kept, 1, 399);
            Assert.Equal(RunOutcome.FinishedTrials(whole).Take(kept), RunOutcome.FinishedTrials(folder));

            Shell($"mount -o remount,size=64m {mount}");
            (code, _, errors) = NascentCli.Run("search", "--resume", folder, "--quiet");
            Assert.True(code == 0, errors);
            Assert.Equal(RunOutcome.FinishedTrials(whole), RunOutcome.FinishedTrials(folder));
            Assert.Equal(RunOutcome.Result(whole), RunOutcome.Result(folder));
        }
        finally
        {
            Shell($"umount {mount}");
        }
    }

    private static void Shell(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("sh", ["-c", command]) { RedirectStandardError = true })!;
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{command}: {errors}");
    }
}

/// <summary>A fact that needs root (it mounts a tiny tmpfs to fill a disk); reported as skipped otherwise.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" || !File.Exists("/bin/mount"))
            Skip = "needs root on Linux to mount a tiny tmpfs (a full disk); test skipped.";
    }
}
