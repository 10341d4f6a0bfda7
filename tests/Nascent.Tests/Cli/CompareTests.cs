using System.Text.Json.Nodes;
using Nascent.Tests.Data;

namespace Nascent.Tests.Cli;

public sealed class CompareTests
{
    [Fact]
    public void Compare_searches_each_strategy_per_seed_retrains_and_tests_the_difference()
    {
        using var temp = new TempFolder();
        string run = Path.Combine(temp.Path, "cmp");
        var (code, output, errors) = CliProcess.Run("compare", "--strategies", "enas,rsws", "--seeds", "2",
            "--retrain-epochs", "1", "--retrain-subset", "300", "--train-subset", "300", "--validation-size", "200",
            "--candidates", "3", "--ranking-images", "100", "--final-top", "1", "--channels", "4", "--epochs", "1",
            "--controller-steps", "2", "--controller-samples", "2", "--reward-images", "50", "--out", run, "--quiet");
        Assert.True(code == 0, errors);
        var result = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "result.json")))!;
        var runs = result["runs"]!.AsArray();
        Assert.Equal(4, runs.Count);
        foreach (var strategy in new[] { "enas", "rsws" })
            foreach (var seed in new[] { 0, 1 })
            {
                string folder = Path.Combine(run, $"{strategy}-seed{seed}");
                var searched = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "search", "result.json")))!;
                var trained = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "train", "result.json")))!;
                Assert.Equal((string)searched["best"]!["arch"]!, (string)trained["best"]!["arch"]!);
                Assert.Equal(strategy, (string)searched["strategy"]!);
            }
        var test = result["tests"]!.AsArray().Single()!;
        Assert.Equal("enas", (string)test["a"]!);
        Assert.InRange((double)test["mann_whitney_p"]!, 0, 1);
        Assert.NotNull(test["welch_p"]);
        Assert.Contains("enas - rsws:", output);
        Assert.True(File.Exists(Path.Combine(run, "enas-seed0", "search", "strategy.json")));
    }

    [Fact]
    public void Compare_needs_two_distinct_strategies()
    {
        var (code, _, errors) = CliProcess.Run("compare", "--strategies", "enas");
        Assert.Equal(2, code);
        Assert.Contains("at least two strategies", errors);
    }
}
