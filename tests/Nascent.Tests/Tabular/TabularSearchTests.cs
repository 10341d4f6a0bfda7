using System.Text.Json;
using Nascent.Experiments;
using Nascent.Spaces;
using Nascent.Strategies;
using Nascent.Tests.Data;
using Nascent.Experiments.Execution;
using Nascent.Experiments.Search;

namespace Nascent.Tests.Tabular;

/// <summary><c>nascent search --table</c>: one search over a table, written like any other search.</summary>
public sealed class TabularSearchTests(SyntheticTable table) : IClassFixture<SyntheticTable>, IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private (int Code, string Output, string Folder) Search(string name, params string[] extra)
    {
        string folder = Path.Combine(_temp.Path, name);
        var (code, output, errors) = Cli.NascentCli.Run(["search", "--table", table.Path, "--objective", "score", "--out", folder, "--quiet", .. extra]);
        Assert.True(code == 0, errors);
        return (code, output, folder);
    }

    [Fact]
    public void Writes_config_trials_and_result_like_any_search()
    {
        var (code, output, folder) = Search("rea", "--report", "test", "--cost", "cost", "--strategy", "rea", "--queries", "80", "--seed", "5");
        Assert.Equal(0, code);
        Assert.Contains("score (objective): ", output);
        Assert.Contains("queries: 80 on synthetic.csv", output);

        var result = RunDirectory.ReadJson<SearchResult>(Path.Combine(folder, "result.json"));
        Assert.Equal("rea", result.Strategy);
        Assert.Equal("nb201", result.Space);
        Assert.Equal(80, result.Trials);
        Assert.Equal(80, result.Table!.Queries);
        Assert.Equal("score", result.Table.Objective);
        var best = Nb201Space.Instance.Parse(result.Best.Arch);
        Assert.Equal(table.Benchmark.Value(best, "score"), result.Best.ValAcc);
        Assert.Equal(table.Benchmark.Value(best, "test"), result.Best.TestAcc);
        Assert.Equal(table.Benchmark.Value(best, "cost"), result.Best.Costs!["cost"]);

        var config = RunDirectory.ReadJson<SearchConfig>(Path.Combine(folder, "config.json"));
        Assert.Equal([Path.GetFullPath(table.Path)], config.Table!.Tables);
        Assert.Equal("score", config.Table.Objective);

        using var store = new TrialStore(Path.Combine(folder, TrialStore.FileName));
        var trials = store.Load(Nb201Space.Instance).ToArray();
        Assert.Equal(80, trials.Length);
        Assert.All(trials, t => Assert.Equal(TrialStatus.Done, t.Status));
        Assert.All(trials, t => Assert.Equal(table.Benchmark.Value(t.Architecture, "cost"), t.Metrics!.Extra["cost"]));
        Assert.Equal(trials.Max(t => t.Objective), result.Best.ValAcc);
    }

    [Fact]
    public void Same_seed_same_trials_and_different_seeds_differ()
    {
        string[] Trials(string name, string seed)
        {
            var (code, _, folder) = Search(name, "--strategy", "rea", "--queries", "25", "--seed", seed);
            Assert.Equal(0, code);
            using var store = new TrialStore(Path.Combine(folder, TrialStore.FileName));
            return store.Load(Nb201Space.Instance).Select(t => t.Architecture.ToString()).ToArray();
        }
        Assert.Equal(Trials("a", "1"), Trials("b", "1"));
        Assert.NotEqual(Trials("a2", "1"), Trials("c", "2"));
    }

    [Theory]
    [InlineData(new[] { "--strategy", "enas" }, "trains shared weights on image or text data, so it cannot run on a table")]
    [InlineData(new[] { "--strategy", "rsws" }, "cannot run on a table")]
    [InlineData(new[] { "--epochs", "3" }, "A tabular search (--table) trains nothing")]
    [InlineData(new[] { "--time-budget", "10" }, "--time-budget needs --time-column")]
    [InlineData(new[] { "--report", "nope" }, "No column 'nope'")]
    [InlineData(new[] { "--strategy", "rea", "--population", "1" }, "--population must be at least 2 (got 1)")]
    public void Mistakes_give_one_clear_message(string[] extra, string message)
    {
        string folder = Path.Combine(_temp.Path, "bad");
        Cli.NascentCli.AssertOneLineError(message, ["search", "--table", table.Path, "--objective", "score", "--out", folder, "--quiet", .. extra]);
        Assert.False(Directory.Exists(folder), "a failed start leaves no run directory");
    }

    [Fact]
    public void Table_options_without_a_table_are_refused()
    {
        Cli.NascentCli.AssertOneLineError("add --table FILE.csv", "search", "--objective", "score");
    }

    [Nb201Fact]
    public void Regularized_evolution_over_the_NB201_table_returns_a_strong_cell()
    {
        string nb = Path.Combine(_temp.Path, "real");
        var (code, _, errors) = Cli.NascentCli.Run("search", "--table", Nb201Data.Accuracy, "--objective", "cifar10_val_acc",
            "--report", "cifar10_test_acc", "--strategy", "rea", "--queries", "100", "--seed", "0", "--out", nb, "--quiet");
        Assert.True(code == 0, errors);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(nb, "result.json")));
        var best = json.RootElement.GetProperty("best");
        Assert.InRange(best.GetProperty("val_acc").GetDouble(), 90.5, 91.6067);
        Assert.InRange(best.GetProperty("test_acc").GetDouble(), 93.0, 94.3734);
    }
}
