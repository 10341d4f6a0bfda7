using Microsoft.Data.Sqlite;
using Nascent.Core;
using Nascent.Evaluation;
using Nascent.Experiments;
using Nascent.Spaces;
using Nascent.Strategies;
using Nascent.Tests.Data;
using Nascent.Experiments.Execution;

namespace Nascent.Tests.Experiments;

public sealed class TrialStoreTests
{
    [Fact]
    public void Trials_round_trip_with_exact_numbers_and_failure_reasons()
    {
        using var temp = new TempFolder();
        string path = Path.Combine(temp.Path, TrialStore.FileName);
        var space = Nb201Space.Instance;
        var a = space.Sample(new SeededRandom(1));
        var b = space.Sample(new SeededRandom(2));
        using (var store = new TrialStore(path))
        {
            int ida = store.Begin(a, TrialPhase.Rank);
            store.Finish(new Trial(ida, a, TrialStatus.Done, new Metrics(97.123456789012345, 0.1 + 0.2, 12345, LatencyMs: 1.0 / 3), Seconds: 1.5));
            int idb = store.Begin(b, TrialPhase.Rank);
            store.Finish(new Trial(idb, b, TrialStatus.Failed, null, "loss NaN at step 3 (diverged)", 0.25));
            store.Begin(a, TrialPhase.Final); // still running when the process died
        }
        using (var store = new TrialStore(path))
        {
            var trials = store.Load(space);
            Assert.Equal(3, trials.Count);
            Assert.Equal(97.123456789012345, trials[0].Metrics!.Accuracy); // bit-exact, no formatting loss
            Assert.Equal(0.1 + 0.2, trials[0].Metrics!.Loss);
            Assert.Equal(1.0 / 3, trials[0].Metrics!.LatencyMs);
            Assert.Equal(a, trials[0].Architecture);
            Assert.Equal(TrialStatus.Failed, trials[1].Status);
            Assert.Equal("loss NaN at step 3 (diverged)", trials[1].FailureReason);
            Assert.Equal(TrialStatus.Running, trials[2].Status);
            // A finished trial never changes.
            Assert.Throws<InvalidOperationException>(() => store.Finish(trials[0]));
        }
    }

    [Fact]
    public void A_corrupt_database_gives_a_clear_error_naming_the_file()
    {
        using var temp = new TempFolder();
        string path = Path.Combine(temp.Path, TrialStore.FileName);
        File.WriteAllText(path, "this is not a database, just some text that is long enough to look like a header....");
        var e = Assert.Throws<NascentException>(() => new TrialStore(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("corrupt", e.Message);
    }

    [Fact]
    public void A_truncated_database_gives_a_clear_error()
    {
        using var temp = new TempFolder();
        string path = Path.Combine(temp.Path, TrialStore.FileName);
        var bytes = FillStore(path);
        Assert.True(bytes.Length > 4 * 4096, "the store should span several pages");
        foreach (int length in new[] { 50, bytes.Length / 2 })
        {
            File.WriteAllBytes(path, bytes[..length]);
            var e = Assert.Throws<NascentException>(() => new TrialStore(path));
            Assert.Contains(path, e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
    }

    [Fact]
    public void A_damaged_page_gives_a_clear_error()
    {
        using var temp = new TempFolder();
        string path = Path.Combine(temp.Path, TrialStore.FileName);
        var bytes = FillStore(path);
        for (int i = 4096 + 8; i < 4096 + 200; i++) bytes[i] = 0xA5; // the header of the second page
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<NascentException>(() => new TrialStore(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void A_foreign_sqlite_database_is_refused_and_left_unchanged()
    {
        using var temp = new TempFolder();
        string path = Path.Combine(temp.Path, TrialStore.FileName);
        ExecuteSql(path, "CREATE TABLE photos (id INTEGER, name TEXT); INSERT INTO photos VALUES (1, 'cat');");
        var before = File.ReadAllBytes(path);
        var e = Assert.Throws<NascentException>(() => new TrialStore(path));
        Assert.Contains("not a Nascent trial store", e.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_version_1_store_is_refused_naming_both_versions()
    {
        using var temp = new TempFolder();
        string path = Path.Combine(temp.Path, TrialStore.FileName);
        ExecuteSql(path, """
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE trials (id INTEGER PRIMARY KEY, phase TEXT NOT NULL, arch TEXT NOT NULL, status TEXT NOT NULL);
            INSERT INTO meta VALUES ('format_version', '1');
            """);
        var e = Assert.Throws<NascentException>(() => new TrialStore(path));
        Assert.Contains("format version 1", e.Message);
        Assert.Contains($"reads version {TrialStore.FormatVersion}", e.Message);
    }

    [Fact]
    public void A_version_2_store_is_migrated_in_place_keeping_its_trials()
    {
        using var temp = new TempFolder();
        string path = Path.Combine(temp.Path, TrialStore.FileName);
        var a = Nb201Space.Instance.Sample(new SeededRandom(1));
        // The layout of format version 2, as an earlier Nascent wrote it.
        ExecuteSql(path, $$"""
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE trials (
                id INTEGER PRIMARY KEY, phase TEXT NOT NULL, arch TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'interrupted')),
                accuracy DOUBLE PRECISION, loss DOUBLE PRECISION, params BIGINT, test_accuracy DOUBLE PRECISION,
                latency_ms DOUBLE PRECISION, flops DOUBLE PRECISION, extra TEXT, failure_reason TEXT,
                started_at TEXT NOT NULL, finished_at TEXT, seconds DOUBLE PRECISION);
            INSERT INTO meta VALUES ('format', 'nascent-trials'), ('format_version', '2'), ('config', '{}');
            INSERT INTO trials (id, phase, arch, status, accuracy, extra, started_at, seconds)
              VALUES (1, 'trial', '{{a}}', 'done', 91.25, '{"cost":3}', '2026-01-01T00:00:00Z', 2.5);
            """);
        using (var store = new TrialStore(path))
        {
            Assert.Equal(TrialStore.FormatVersion.ToString(), store.GetMeta("format_version"));
            Assert.Equal("{}", store.GetMeta("config"));
            var trial = Assert.Single(store.Load(Nb201Space.Instance));
            Assert.Equal((a, TrialStatus.Done, 91.25, 3.0, 2.5), (trial.Architecture, trial.Status, trial.Metrics!.Accuracy, trial.Metrics.Extra["cost"], trial.Seconds));
            Assert.Equal(2, store.Enqueue(a, TrialPhase.Trial)); // the queue's columns are there
        }
        using (var store = new TrialStore(path)) Assert.Equal(2, store.Load(Nb201Space.Instance).Count); // migrated once
    }

    [Fact]
    public void An_unreachable_or_badly_named_postgresql_store_is_one_line_without_a_password()
    {
        using var temp = new TempFolder();
        // A Unix socket folder where no server listens: retried (briefly here), then one line naming the study.
        var e = Assert.Throws<NascentException>(() => new PostgresTrialStore(
            $"postgresql://nas@localhost:5999/nas?study=s1&host={temp.Path}", TimeSpan.FromSeconds(1)));
        Assert.Contains("cannot be reached", e.Message);
        Assert.Contains("postgresql://nas@", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        e = Assert.Throws<NascentException>(() => new PostgresTrialStore("postgresql://nas:pw-in-url@db:5432/nas?study=s1"));
        Assert.Contains("PGPASSWORD", e.Message);
        Assert.DoesNotContain("pw-in-url", e.Message);
        e = Assert.Throws<NascentException>(() => new PostgresTrialStore("postgresql://nas@db:5432/nas"));
        Assert.Contains("?study=NAME", e.Message);
    }

    [Fact]
    public void Running_trials_are_marked_interrupted_and_ids_keep_growing()
    {
        using var temp = new TempFolder();
        string path = Path.Combine(temp.Path, TrialStore.FileName);
        var space = Nb201Space.Instance;
        var a = space.Sample(new SeededRandom(1));
        using (var store = new TrialStore(path))
        {
            store.Finish(new Trial(store.Begin(a, TrialPhase.Trial), a, TrialStatus.Done, new Metrics(50)));
            Assert.Equal(2, store.Begin(a, TrialPhase.Trial)); // the process dies here
        }
        using (var store = new TrialStore(path))
        {
            Assert.Equal(1, store.MarkInterrupted());
            Assert.Equal(0, store.MarkInterrupted());
            Assert.Equal(3, store.Begin(a, TrialPhase.Trial));
            var trials = store.Load(space).ToList();
            Assert.Equal([TrialStatus.Done, TrialStatus.Interrupted, TrialStatus.Running], trials.Select(t => t.Status));
            Assert.StartsWith("interrupted", trials[1].FailureReason);
            Assert.Equal(50, trials[0].Metrics!.Accuracy);
        }
    }

    [Fact]
    public void A_store_of_another_format_version_is_refused()
    {
        using var temp = new TempFolder();
        string path = Path.Combine(temp.Path, TrialStore.FileName);
        using (var store = new TrialStore(path)) store.SetMeta("format_version", "99");
        var e = Assert.Throws<NascentException>(() => new TrialStore(path));
        Assert.Contains("format version 99", e.Message);
    }

    /// <summary>A store of 200 finished trials (several pages); returns its bytes.</summary>
    private static byte[] FillStore(string path)
    {
        var space = Nb201Space.Instance;
        using (var store = new TrialStore(path))
            for (int i = 0; i < 200; i++)
            {
                var a = space.Sample(new SeededRandom((ulong)i));
                store.Finish(new Trial(store.Begin(a, TrialPhase.Trial), a, TrialStatus.Done, new Metrics(i, 0.5) { Extra = new Dictionary<string, double> { ["cost"] = i } }));
            }
        return File.ReadAllBytes(path);
    }

    private static void ExecuteSql(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
