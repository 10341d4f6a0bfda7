using System.Text.Json.Nodes;
using Nascent.Analysis;
using Nascent.Tests.Data;

namespace Nascent.Tests.Cli;

/// <summary>nascent compare on an excerpt of real MNIST (<see cref="MnistExcerpt"/>): each retraining measures the
/// default 5,000 validation images and the whole (500-image) test set.</summary>
public sealed class CompareTests(MnistExcerpt mnist) : IClassFixture<MnistExcerpt>
{
    private string[] Arguments => ["--data-dir", mnist.DataDirectory, "--strategies", "enas,rsws", "--seeds", "2",
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
        // Every figure of the comparison, recomputed from its pairs' own result files.
        var retrained = new Dictionary<string, List<double>>();
        var searchedVal = new Dictionary<string, List<double>>();
        foreach (var strategy in new[] { "enas", "rsws" })
        {
            retrained[strategy] = [];
            searchedVal[strategy] = [];
            foreach (var seed in new[] { 0, 1 })
            {
                string folder = Path.Combine(run, $"{strategy}-seed{seed}");
                var searched = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "search", "result.json")))!;
                var trained = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "train", "result.json")))!;
                Assert.Equal((string)searched["best"]!["arch"]!, (string)trained["best"]!["arch"]!);
                Assert.Equal(strategy, (string)searched["strategy"]!);
                Assert.Equal(seed, (int)searched["seed"]!);
                double testAcc = (double)trained["best"]!["test_acc"]!, val = (double)searched["best"]!["val_acc"]!;
                Assert.InRange(testAcc, 0, 100);
                var reported = runs.Single(r => (string)r!["strategy"]! == strategy && (int)r["seed"]! == seed)!;
                Assert.Equal((string)searched["best"]!["arch"]!, (string)reported["arch"]!);
                Assert.Equal(testAcc, (double)reported["retrained_test_acc"]!);
                Assert.Equal(val, (double)reported["search_val_acc"]!);
                retrained[strategy].Add(testAcc);
                searchedVal[strategy].Add(val);
            }
            var summary = result["summaries"]!.AsArray().Single(x => (string)x!["strategy"]! == strategy)!;
            var (a, b) = (retrained[strategy][0], retrained[strategy][1]);
            Assert.Equal((a + b) / 2, (double)summary["test_acc_mean"]!, 9);
            Assert.Equal(Math.Abs(a - b) / Math.Sqrt(2), (double)summary["test_acc_std"]!, 9); // sample sd of two values
            Assert.Equal(searchedVal[strategy].Average(), (double)summary["search_val_acc_mean"]!, 9);
        }
        var test = result["tests"]!.AsArray().Single()!;
        Assert.Equal("enas", (string)test["a"]!);
        Assert.Equal("rsws", (string)test["b"]!);
        var (enas, rsws) = (retrained["enas"], retrained["rsws"]);
        Assert.Equal(enas.Average() - rsws.Average(), (double)test["mean_difference"]!, 9);
        // U counts the (enas, rsws) pairs where enas retrained better, ties a half.
        double u = enas.Sum(x => rsws.Sum(y => x > y ? 1 : x == y ? 0.5 : 0));
        Assert.Equal(u, (double)test["mann_whitney_u"]!);
        Assert.Equal(MannWhitneyTest.Compare(enas, rsws).PValue, (double)test["mann_whitney_p"]!, 12);
        Assert.Equal(WelchTTest.Compare(enas, rsws).PValue, (double)test["welch_p"]!, 12);
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
        NascentCli.AssertOneLineError("other settings", ["compare", .. Arguments, "--first-seed", "1", "--out", run, "--quiet", "--resume"]);
    }

    [Fact]
    public void Compare_needs_two_distinct_strategies() =>
        NascentCli.AssertOneLineError("at least two strategies", "compare", "--strategies", "enas");
}
