using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Nascent.Core;
using Nascent.Experiments;
using Nascent.Spaces;
using Nascent.Strategies;
using Nascent.Tests.Data;
using Nascent.Tests.Tabular;
using Nascent.Experiments.Execution;

namespace Nascent.Tests.Cli;

/// <summary><c>nascent search --resume</c>: a tabular search killed (SIGKILL) at random points and resumed gives the
/// trials and the result of a run that never stopped; a damaged or foreign store gives one clear line.</summary>
public sealed class ResumeTests(SyntheticTable table) : IClassFixture<SyntheticTable>, IDisposable
{
    private const int Queries = 60;
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string[] SearchArgs(string folder, string strategy, params string[] extra) =>
        ["search", "--table", table.Path, "--objective", "score", "--report", "test", "--strategy", strategy,
         "--queries", Queries.ToString(), "--seed", "4", "--checkpoint-every", "7", "--out", folder, .. extra];

    [Theory]
    [InlineData("rea", 3)]
    [InlineData("rs", 1)]
    [InlineData("reinforce", 1)]
    [InlineData("nao", 1, "--nao-seed", "30", "--nao-new", "15", "--nao-top", "5", "--nao-epochs", "3")]
    [InlineData("monas", 1, "--cost", "cost")]
    [InlineData("dpp", 1, "--cost", "cost", "--dpp-keep", "10", "--dpp-epochs", "3")]
    public void A_search_killed_and_resumed_gives_the_trials_and_result_of_one_that_never_stopped(string strategy, int kills,
        params string[] extra)
    {
        string whole = Path.Combine(_temp.Path, "whole"), killed = Path.Combine(_temp.Path, "killed");
        var (code, _, errors) = NascentCli.Run([.. SearchArgs(whole, strategy, extra), "--quiet"]);
        Assert.True(code == 0, errors);

        // Kill points drawn from a seed, rising: each kill hits the run resumed after the one before.
        var random = new SeededRandom(11);
        var points = Enumerable.Range(0, kills).Select(_ => 3 + random.Next(Queries - 20)).Order().ToArray();
        int cutShort = 0;
        for (int k = 0; k < kills; k++)
        {
            string[] args = k == 0 ? SearchArgs(killed, strategy, extra) : ["search", "--resume", killed];
            Assert.True(CliProcess.RunAndKill(line => Done(line) >= points[k], [.. args, "--json-progress"]), "the run ended before the kill");
            if (!File.Exists(Path.Combine(killed, "result.json")) && RunOutcome.FinishedTrials(killed).Count < Queries) cutShort++;
        }
        Assert.True(cutShort > 0, "no kill landed inside the search");
        (code, _, errors) = NascentCli.Run("search", "--resume", killed, "--quiet");
        Assert.True(code == 0, errors);

        Assert.Equal(RunOutcome.FinishedTrials(whole), RunOutcome.FinishedTrials(killed));
        Assert.Equal(RunOutcome.Result(whole), RunOutcome.Result(killed));
    }

    [Fact]
    public void An_enas_search_killed_after_a_checkpoint_resumes_to_the_same_trials_and_result()
    {
        string[] Args(string folder) => ["search", "--strategy", "enas", "--train-subset", "256", "--validation-size", "128",
            "--batch-size", "32", "--channels", "4", "--epochs", "2", "--candidates", "4", "--ranking-images", "64",
            "--final-top", "2", "--controller-steps", "1", "--controller-samples", "3", "--reward-images", "32", "--seed", "5",
            "--out", folder];
        string whole = Path.Combine(_temp.Path, "whole"), killed = Path.Combine(_temp.Path, "killed");
        var (code, _, errors) = NascentCli.Run([.. Args(whole), "--quiet"]);
        Assert.True(code == 0, errors);
        // Killed in the second supernet epoch: the checkpoint of the first holds the supernet, optimizer, data order
        // and controller; the second epoch is trained again.
        Assert.True(CliProcess.RunAndKill(line => line.Contains("\"supernet 2/2\"") && Done(line) >= 3, [.. Args(killed), "--json-progress"]));
        Assert.False(File.Exists(Path.Combine(killed, "result.json")));
        Assert.True(File.Exists(Path.Combine(killed, Checkpoint.Folder, "supernet.dat")));
        (code, _, errors) = NascentCli.Run("search", "--resume", killed, "--quiet");
        Assert.True(code == 0, errors);
        Assert.Equal(RunOutcome.FinishedTrials(whole), RunOutcome.FinishedTrials(killed));
        Assert.Equal(RunOutcome.Result(whole), RunOutcome.Result(killed));
    }

    [Fact]
    public void A_trial_running_at_the_kill_is_marked_interrupted_and_run_again()
    {
        string folder = Path.Combine(_temp.Path, "run");
        var (code, _, errors) = NascentCli.Run([.. SearchArgs(folder, "rs"), "--quiet"]);
        Assert.True(code == 0, errors);
        var before = RunOutcome.FinishedTrials(folder);
        string db = Path.Combine(folder, TrialStore.FileName);
        using (var store = new TrialStore(db))
        {
            // As a kill leaves it: one more trial begun, never finished, and no result.
            store.Begin(Nb201Space.Instance.Parse(before[0].Arch), TrialPhase.Trial);
        }
        File.Delete(Path.Combine(folder, "result.json"));
        (code, _, errors) = NascentCli.Run("search", "--resume", folder, "--quiet");
        Assert.True(code == 0, errors);
        using var reopened = new TrialStore(db);
        var rows = reopened.Load(Nb201Space.Instance).ToList();
        Assert.Equal(Queries + 1, rows.Count);              // nothing deleted, nothing run again but the interrupted one
        Assert.Equal(TrialStatus.Interrupted, rows[^1].Status);
        Assert.Equal(before, RunOutcome.FinishedTrials(folder));
    }

    [Fact]
    public void A_damaged_or_foreign_store_ends_with_one_line_and_exit_code_2()
    {
        string source = Path.Combine(_temp.Path, "source");
        var (code, _, errors) = NascentCli.Run([.. SearchArgs(source, "rea"), "--quiet"]);
        Assert.True(code == 0, errors);
        byte[] bytes = File.ReadAllBytes(Path.Combine(source, TrialStore.FileName));

        void Expect(string name, Action<string> damage, string message)
        {
            string folder = Path.Combine(_temp.Path, name);
            Directory.CreateDirectory(folder);
            File.Copy(Path.Combine(source, "config.json"), Path.Combine(folder, "config.json"));
            File.WriteAllBytes(Path.Combine(folder, TrialStore.FileName), bytes);
            damage(Path.Combine(folder, TrialStore.FileName));
            NascentCli.AssertOneLineError(message, "search", "--resume", folder);
        }

        Expect("truncated", db => File.WriteAllBytes(db, bytes[..(bytes.Length / 2)]), TrialStore.FileName);
        Expect("garbage", db => File.WriteAllText(db, new string('x', 5000)), "corrupt or not a Nascent run");
        Expect("old", db => SetMeta(db, "format_version", "1"), "format version 1");
        Expect("foreign", db => SetMeta(db, "format", "someone-else"), "not a Nascent trial store");
        Expect("missing", File.Delete, "holds no trials.db");

        // A new search into a run directory refuses to mix its trials with the run's.
        (code, _, errors) = NascentCli.Run(SearchArgs(source, "rea"));
        Assert.Equal(2, code);
        Assert.Contains($"--resume {source}", errors);
        // --resume takes the run's own options.
        (code, _, errors) = NascentCli.Run("search", "--resume", source, "--queries", "5");
        Assert.Equal(2, code);
        Assert.Contains("drop --", errors);
    }

    [Fact]
    public void Json_progress_is_one_object_per_line_ending_at_the_result()
    {
        string folder = Path.Combine(_temp.Path, "json");
        var (code, output, errors) = NascentCli.Run([.. SearchArgs(folder, "rea"), "--json-progress"]);
        Assert.True(code == 0, errors);
        Assert.Contains("best architecture:", output); // the summary stays on standard output
        var lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var progress = lines.Where(l => (string)l["event"]! == "progress").ToList();
        Assert.True(progress.Count >= 10);
        Assert.All(lines, l => Assert.True(DateTime.TryParse((string)l["time"]!, out _)));
        Assert.All(progress, p => Assert.Equal("search", (string)p["task"]!));
        Assert.All(progress, p => Assert.True((double)p["rate"]! >= 0 && (double)p["eta_seconds"]! >= 0));
        var done = progress.Select(p => (long)p["done"]!).ToList();
        Assert.Equal(done.Order(), done);
        Assert.Equal(Queries, done[^1]);
        Assert.Equal(Queries, (long)progress[^1]["total"]!);
        var result = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "result.json")))!;
        Assert.Equal((double)result["best"]!["val_acc"]!, (double)progress[^1]["best"]!);

        (code, _, errors) = NascentCli.Run([.. SearchArgs(Path.Combine(_temp.Path, "quiet"), "rea"), "--quiet"]);
        Assert.Equal(0, code);
        Assert.Equal("", errors);
        (code, _, errors) = NascentCli.Run([.. SearchArgs(Path.Combine(_temp.Path, "both"), "rea"), "--quiet", "--json-progress"]);
        Assert.Equal(2, code);
        Assert.Contains("choose one", errors);
    }

    private static long Done(string line) =>
        line.StartsWith('{') && JsonNode.Parse(line)!["done"] is { } done ? (long)done : -1;

    private static void SetMeta(string db, string key, string value)
    {
        using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "UPDATE meta SET value = $v WHERE key = $k";
        cmd.Parameters.AddWithValue("$k", key);
        cmd.Parameters.AddWithValue("$v", value);
        cmd.ExecuteNonQuery();
    }
}
