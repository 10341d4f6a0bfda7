using System.Text.Json.Nodes;
using Nascent.Tests.Data;

namespace Nascent.Tests.Cli;

public sealed class CompareTests
{
    private static readonly string[] Arguments = ["--strategies", "enas,rsws", "--seeds", "2",
        "--retrain-epochs", "1", "--retrain-subset", "300", "--train-subset", "300", "--validation-size", "200",
        "--candidates", "3", "--ranking-images", "100", "--final-top", "1", "--channels", "4", "--epochs", "1",
        "--controller-steps", "2", "--controller-samples", "2", "--reward-images", "50"];

    [Fact]
    public void Compare_searches_each_strategy_per_seed_retrains_and_tests_the_difference()
    {
        using var temp = new TempFolder();
        string run = Path.Combine(temp.Path, "cmp");
        var (code, output, errors) = NascentCli.Run(["compare", .. Arguments, "--out", run, "--quiet"]);
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

        // --resume reruns only the unfinished pair and gives the same comparison.
        string kept = Path.Combine(run, "enas-seed0", "search", "result.json");
        var keptTime = File.GetLastWriteTimeUtc(kept);
        File.Delete(Path.Combine(run, "rsws-seed1", "train", "result.json"));
        (code, _, errors) = NascentCli.Run(["compare", .. Arguments, "--out", run, "--quiet", "--resume"]);
        Assert.True(code == 0, errors);
        Assert.Equal(keptTime, File.GetLastWriteTimeUtc(kept));
        Assert.Single(Directory.GetDirectories(run, "rsws-seed1.unfinished-*")); // the interrupted pair is kept aside
        var resumed = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "result.json")))!;
        static string Outcomes(JsonNode runs) => string.Join("\n", runs.AsArray().Select(r =>
            $"{r!["strategy"]} {r["seed"]} {r["arch"]} {r["search_val_acc"]} {r["retrained_test_acc"]}"));
        Assert.Equal(Outcomes(runs), Outcomes(resumed["runs"]!)); // the rerun pair is reproducible; its timing is not
        // Resuming with fewer seeds summarises the first ones without running anything (more would extend it).
        var oneSeed = Arguments.ToArray();
        oneSeed[Array.IndexOf(oneSeed, "--seeds") + 1] = "1";
        (code, _, errors) = NascentCli.Run(["compare", .. oneSeed, "--out", run, "--quiet", "--resume"]);
        Assert.True(code == 0, errors);
        var first = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "result.json")))!;
        Assert.Equal(2, first["runs"]!.AsArray().Count);
        Assert.All(first["runs"]!.AsArray(), r => Assert.Equal(0, (int)r!["seed"]!));
        Assert.Equal(keptTime, File.GetLastWriteTimeUtc(kept));
        (code, _, errors) = NascentCli.Run(["compare", .. Arguments, "--first-seed", "1", "--out", run, "--quiet", "--resume"]);
        Assert.Equal(2, code);
        Assert.Contains("other settings", errors);
    }

    [Fact]
    public void Compare_needs_two_distinct_strategies()
    {
        var (code, _, errors) = NascentCli.Run("compare", "--strategies", "enas");
        Assert.Equal(2, code);
        Assert.Contains("at least two strategies", errors);
    }
}
