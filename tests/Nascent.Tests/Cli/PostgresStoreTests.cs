using System.Diagnostics;
using Nascent.Experiments.Execution;
using Nascent.Spaces;
using Nascent.Strategies;
using Nascent.Tests.Data;
using Nascent.Tests.Tabular;

namespace Nascent.Tests.Cli;

/// <summary>A search on a PostgreSQL study (--store): the same result as on the run directory's SQLite store, one
/// coordinator per study, the password never on the command line nor in any file, log or error, and workers that
/// ride out a server restart. Skipped, saying why, without a server (<see cref="PostgresTest"/>).</summary>
public sealed class PostgresStoreTests(SyntheticTable table) : IClassFixture<SyntheticTable>, IDisposable
{
    private const int Queries = QueuedSearch.Queries;
    private readonly TempFolder _temp = new();
    private readonly List<string> _studies = [];

    public void Dispose()
    {
        _temp.Dispose();
        foreach (var study in _studies)
        {
            using var store = new PostgresTrialStore(PostgresTest.Study(study));
            store.Drop();
        }
    }

    private string NewStudy()
    {
        string study = "c" + Guid.NewGuid().ToString("N")[..12];
        _studies.Add(study);
        return PostgresTest.Study(study);
    }

    private string[] SearchArgs(string folder, params string[] extra) => QueuedSearch.Args(table, folder, extra);

    [PostgresFact]
    public void A_study_gives_the_result_of_the_sqlite_store_and_no_file_log_or_error_holds_the_password()
    {
        string reference = Path.Combine(_temp.Path, "sqlite");
        var (code, _, errors) = NascentCli.Run([.. SearchArgs(reference), "--quiet"]);
        Assert.True(code == 0, errors);

        string folder = Path.Combine(_temp.Path, "pg"), study = NewStudy();
        (code, string output, errors) = NascentCli.Run([.. SearchArgs(folder, "--store", study), "--workers", "2", "--json-progress"]);
        Assert.True(code == 0, errors);
        Assert.Equal(RunOutcome.Result(reference), RunOutcome.Result(folder));
        using (var store = new PostgresTrialStore(study))
            Assert.Equal(RunOutcome.FinishedTrials(reference).Select(t => t.Arch),
                store.Load(Nb201Space.Instance).Where(t => t.Status == TrialStatus.Done).Select(t => t.Architecture.ToString()));

        string password = Environment.GetEnvironmentVariable("PGPASSWORD") ?? "";
        if (password.Length > 0)
        {
            Assert.DoesNotContain(password, output + errors);
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
                Assert.DoesNotContain(password, File.ReadAllText(file));
        }
        Assert.Contains(study, File.ReadAllText(Path.Combine(folder, "config.json"))); // the address, without a password

        // A password on the command line is refused, and not repeated.
        string withPassword = study.Replace("postgresql://", "postgresql://").Replace("@", ":hunter2-typed@");
        (code, output, errors) = NascentCli.Run([.. SearchArgs(Path.Combine(_temp.Path, "pw")), "--store", withPassword]);
        NascentCli.AssertOneLineError("PGPASSWORD", code, output, errors);
        Assert.DoesNotContain("hunter2", errors);
    }

    [PostgresFact(Password = true)]
    public void A_wrong_password_is_one_line_without_it()
    {
        string? saved = Environment.GetEnvironmentVariable("PGPASSWORD");
        Environment.SetEnvironmentVariable("PGPASSWORD", "not-the-password-42");
        try
        {
            var (code, output, errors) = NascentCli.Run([.. SearchArgs(Path.Combine(_temp.Path, "wrong")), "--store", NewStudy()]);
            NascentCli.AssertOneLineError("refused the password", code, output, errors);
            Assert.DoesNotContain("not-the-password-42", errors);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PGPASSWORD", saved);
        }
    }

    [PostgresFact]
    public void A_second_coordinator_on_a_study_refuses_naming_the_holder()
    {
        string study = NewStudy();
        using var store = new PostgresTrialStore(study);
        using (store.LockCoordinator())
            NascentCli.AssertOneLineError($"is in use by pid {Environment.ProcessId}", [.. SearchArgs(Path.Combine(_temp.Path, "second")), "--store", study]);
        var (code, _, errors) = NascentCli.Run([.. SearchArgs(Path.Combine(_temp.Path, "after")), "--store", study, "--quiet"]);
        Assert.True(code == 0, errors); // released: the study is free again
    }

    [PostgresFact(Restarts = true)]
    public void Workers_and_the_coordinator_reconnect_when_the_server_restarts_mid_search()
    {
        string reference = Path.Combine(_temp.Path, "sqlite");
        var (code, _, errors) = NascentCli.Run([.. SearchArgs(reference), "--quiet"]);
        Assert.True(code == 0, errors);
        string folder = Path.Combine(_temp.Path, "restart"), study = NewStudy();
        var search = Task.Run(() => NascentCli.Run([.. SearchArgs(folder, "--store", study, "--delay-ms", "300"), "--workers", "2", "--quiet"]));
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && !search.IsCompleted && Done(study) < 4) Thread.Sleep(50); // workers busy
        Assert.False(search.IsCompleted, "the search ended before the restart: " + (search.IsCompleted ? search.Result.Errors : ""));
        using (var restart = Process.Start(new ProcessStartInfo("sh", ["-c", PostgresTest.Restart!]))!) restart.WaitForExit();
        (code, _, errors) = search.Result;
        Assert.True(code == 0, errors);
        Assert.Equal(RunOutcome.Result(reference), RunOutcome.Result(folder));
        Assert.Equal(Queries, Done(study));
    }

    private static int Done(string study)
    {
        try
        {
            using var store = new PostgresTrialStore(study);
            return store.Load(Nb201Space.Instance).Count(t => t.Status == TrialStatus.Done);
        }
        catch (global::Nascent.Core.NascentException)
        {
            return 0; // not created yet
        }
    }
}
