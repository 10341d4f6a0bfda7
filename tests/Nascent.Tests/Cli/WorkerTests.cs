using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Nascent.Experiments.Execution;
using Nascent.Spaces;
using Nascent.Strategies;
using Nascent.Tests.Data;
using Nascent.Tests.Tabular;

namespace Nascent.Tests.Cli;

/// <summary>Synchronous batches through the queue give one result whoever evaluates them (the coordinator itself,
/// one worker, three), after a worker is SIGKILLed mid-trial (its trial interrupted and retried, every asked trial
/// done once), and after the coordinator is SIGKILLed and resumed. A tabular search with a pause per trial
/// (--delay-ms) stands in for training.</summary>
public sealed class WorkerTests(SyntheticTable table) : IClassFixture<SyntheticTable>, IDisposable
{
    private const int Queries = QueuedSearch.Queries;
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string[] SearchArgs(string folder, params string[] extra) => QueuedSearch.Args(table, folder, ["--stale-after", "1.5", .. extra]);

    private string Reference()
    {
        string folder = Path.Combine(_temp.Path, "reference");
        if (!Directory.Exists(folder))
        {
            var (code, _, errors) = NascentCli.Run([.. SearchArgs(folder), "--quiet"]);
            Assert.True(code == 0, errors);
        }
        return folder;
    }

    [Fact]
    public void A_batch_gives_the_same_trials_and_result_with_zero_one_and_three_workers()
    {
        string reference = Reference();
        var trials = RunOutcome.FinishedTrials(reference);
        Assert.Equal(Queries, trials.Count);
        Assert.All(Rows(reference), r => Assert.Equal("coordinator", r.Worker)); // no workers: evaluated by the search itself
        foreach (int workers in new[] { 1, 3 })
        {
            string folder = Path.Combine(_temp.Path, $"workers-{workers}");
            var (code, _, errors) = NascentCli.Run([.. SearchArgs(folder, "--delay-ms", "20"), "--workers", workers.ToString(), "--quiet"]);
            Assert.True(code == 0, errors);
            Assert.Equal(trials, RunOutcome.FinishedTrials(folder));
            Assert.Equal(RunOutcome.Result(reference), RunOutcome.Result(folder));
            // Measured by the workers only (which of them took how many depends on their speed).
            Assert.All(Rows(folder), r => Assert.Contains(r.Worker, Enumerable.Range(1, workers).Select(i => $"worker-{i}")));
        }
    }

    [Fact]
    public void A_batch_of_one_without_workers_is_the_one_process_loop()
    {
        string folder = Path.Combine(_temp.Path, "plain");
        string[] args = [.. SearchArgs(folder), "--quiet"];
        args[Array.IndexOf(args, "--batch") + 1] = "1";
        var (code, _, errors) = NascentCli.Run(args);
        Assert.True(code == 0, errors);
        Assert.All(Rows(folder), r => Assert.Null(r.Worker)); // begun and finished in process, never queued
        Assert.NotEqual(RunOutcome.FinishedTrials(Reference()), RunOutcome.FinishedTrials(folder)); // batches change what REA asks
    }

    [Fact]
    public async Task A_worker_killed_mid_trial_loses_it_to_a_retry_and_every_trial_is_done_once()
    {
        string reference = Reference();
        string folder = Path.Combine(_temp.Path, "killed-worker");
        // The coordinator, with one worker of its own; the victim is a worker started by hand, killed holding a trial.
        var search = Task.Run(() => NascentCli.Run([.. SearchArgs(folder, "--delay-ms", "150"), "--workers", "1", "--quiet"]));
        using var victim = StartWorker(folder, "victim", delayMs: 150);
        var clock = Stopwatch.StartNew();
        while (!Rows(folder).Any(r => r.Worker == "victim" && r.Status == "running") && clock.Elapsed < TimeSpan.FromSeconds(60))
            Thread.Sleep(20);
        victim.Kill();
        victim.WaitForExit();
        var (code, _, errors) = await search;
        Assert.True(code == 0, errors);

        var rows = Rows(folder);
        var killed = Assert.Single(rows, r => r.Worker == "victim" && r.Status == "interrupted");
        var retry = Assert.Single(rows, r => r.RetryOf == killed.Id);
        Assert.Equal(("done", killed.Arch), (retry.Status, retry.Arch));
        Assert.Equal(Queries, rows.Count(r => r.Status == "done"));
        Assert.All(rows.Where(r => r.Status == "done").GroupBy(r => r.RetryOf ?? r.Id), g => Assert.Single(g));
        Assert.Equal(RunOutcome.FinishedTrials(reference), RunOutcome.FinishedTrials(folder));
        Assert.Equal(RunOutcome.Result(reference), RunOutcome.Result(folder));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void A_coordinator_killed_and_resumed_gives_the_result_of_one_that_never_stopped(int workers)
    {
        string reference = Reference();
        string folder = Path.Combine(_temp.Path, $"killed-coordinator-{workers}");
        // Killed inside the third batch (after the checkpoint at 8): a batch is queued, some of it done.
        using (var coordinator = StartNascent([.. SearchArgs(folder, "--delay-ms", "100"), "--workers", workers.ToString(), "--quiet"]))
        {
            var clock = Stopwatch.StartNew();
            while (Rows(folder).Count(r => r.Status == "done") < 9 && clock.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(5);
            coordinator.Kill();
            coordinator.WaitForExit();
        }
        Assert.False(File.Exists(Path.Combine(folder, "result.json")));
        // Its workers finish what it had queued (no more: only the coordinator asks), then see it gone and stop; without
        // workers the batch is left queued (and the trial it was evaluating, running) for the resumed run.
        Assert.InRange(Rows(folder).Count(r => r.Status == "done"), 9, 12);
        if (workers == 0) Assert.Contains(Rows(folder), r => r.Status is "waiting" or "running");
        var (code, _, errors) = NascentCli.Run("search", "--resume", folder, "--workers", workers.ToString(), "--quiet");
        Assert.True(code == 0, errors);
        Assert.Equal(RunOutcome.FinishedTrials(reference), RunOutcome.FinishedTrials(folder));
        Assert.Equal(RunOutcome.Result(reference), RunOutcome.Result(folder));
        Assert.All(Rows(folder).Where(r => r.Status == "done").GroupBy(r => r.RetryOf ?? r.Id), g => Assert.Single(g));
    }

    [Fact]
    public void Weight_sharing_and_async_resume_are_refused_in_one_line()
    {
        NascentCli.AssertOneLineError("runs in one process", "search", "--strategy", "enas", "--workers", "2", "--out", _temp.Sub("ws"));
        NascentCli.AssertOneLineError("must be longer than --heartbeat", QueuedSearch.Args(table, _temp.Sub("stale"), "--stale-after", "0.1"));
        string folder = Path.Combine(_temp.Path, "async");
        var (code, _, errors) = NascentCli.Run([.. SearchArgs(folder), "--async", "--quiet"]);
        Assert.True(code == 0, errors);
        Assert.Equal(Queries, RunOutcome.FinishedTrials(folder).Count);
        NascentCli.AssertOneLineError("cannot be resumed", "search", "--resume", folder);
    }

    private static Process StartWorker(string folder, string name, int delayMs)
    {
        var clock = Stopwatch.StartNew();
        while (!File.Exists(Path.Combine(folder, TrialStore.FileName)) && clock.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(10);
        return StartNascent(["worker", "--run", folder, "--name", name, "--delay-ms", delayMs.ToString(), "--quiet"]);
    }

    /// <summary>nascent as a process of its own (output discarded), to be killed.</summary>
    private static Process StartNascent(string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Nascent.Cli.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private sealed record Row(int Id, string Arch, string Status, string? Worker, int? RetryOf);

    /// <summary>The trials table as it stands (read without the store's checks, while a search writes it).</summary>
    private static List<Row> Rows(string folder)
    {
        string db = Path.Combine(folder, TrialStore.FileName);
        if (!File.Exists(db)) return [];
        try
        {
            using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT id, arch, status, worker, retry_of FROM trials ORDER BY id";
            using var reader = cmd.ExecuteReader();
            var rows = new List<Row>();
            while (reader.Read())
                rows.Add(new Row(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetInt32(4)));
            return rows;
        }
        catch (SqliteException)
        {
            return []; // created but not yet laid out
        }
    }
}

/// <summary>The queued search the worker and store tests run: REA on the synthetic table in batches of 4, with
/// heartbeats every 0.2 s.</summary>
internal static class QueuedSearch
{
    public const int Queries = 24;

    public static string[] Args(SyntheticTable table, string folder, params string[] extra) =>
        ["search", "--table", table.Path, "--objective", "score", "--report", "test", "--strategy", "rea",
         "--queries", Queries.ToString(), "--seed", "9", "--checkpoint-every", "8", "--batch", "4",
         "--heartbeat", "0.2", "--out", folder, .. extra];
}
