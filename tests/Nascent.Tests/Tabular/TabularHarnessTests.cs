using Nascent.Strategies;
using System.Text.Json;
using Nascent.Core;
using Nascent.Experiments;
using Nascent.Tests.Data;
using Nascent.Experiments.Bench;
using Nascent.Experiments.Execution;

namespace Nascent.Tests.Tabular;

public sealed class TabularHarnessTests(SyntheticTable table) : IClassFixture<SyntheticTable>
{
    private BenchConfig Config(int queries = 60, int seeds = 6) => new()
    {
        Table = new TableSettings { Tables = [table.Path], Objective = "score", Report = "test", Queries = queries },
        Strategies = ["rs", "rea"], Seeds = seeds,
    };

    private static BenchConfig WithTime(BenchConfig c) => c with { Table = c.Table with { TimeColumn = "cost", TimeBudget = 40 } };

    private static int Hits(StrategySummary s) => s.Runs.Count(r => r.BestArch == TableFiles.Target.ToString());

    [Fact]
    public void Regularized_evolution_finds_the_optimum_where_random_search_mostly_does_not()
    {
        var result = TabularHarness.Run(table.Benchmark, Config(queries: 300, seeds: 20));
        var rs = result.Strategies.Single(s => s.Name == "rs");
        var rea = result.Strategies.Single(s => s.Name == "rea");
        Console.WriteLine($"optimum found within 300 queries: rea {Hits(rea)}/20, rs {Hits(rs)}/20");
        Assert.True(Hits(rea) >= 15, $"rea found the optimum in {Hits(rea)} of 20 runs");
        Assert.True(Hits(rs) <= 2, $"rs found the optimum in {Hits(rs)} of 20 runs");
    }

    private static string Json(BenchResult result) =>
        JsonSerializer.Serialize(result with { SearchSeconds = 0, WallSeconds = 0, Threads = 0 }, RunDirectory.Json);

    [Fact]
    public void Same_seeds_give_the_same_result_whatever_the_threads()
    {
        var one = TabularHarness.Run(table.Benchmark, Config() with { Threads = 1 });
        var two = TabularHarness.Run(table.Benchmark, Config() with { Threads = 2 });
        Assert.Equal(Json(one), Json(two));
    }

    [Fact]
    public void Different_seeds_give_different_trajectories()
    {
        var result = TabularHarness.Run(table.Benchmark, Config(seeds: 8));
        foreach (var strategy in result.Strategies)
            Assert.True(strategy.Runs.Select(r => r.BestArch).Distinct().Count() > 1, $"{strategy.Name}: every seed returned the same architecture");
        var shifted = TabularHarness.Run(table.Benchmark, Config(seeds: 8) with { FirstSeed = 100 });
        Assert.NotEqual(result.Strategies[1].Anytime.ObjectiveMean, shifted.Strategies[1].Anytime.ObjectiveMean);
        Assert.Equal(Enumerable.Range(100, 8).Select(i => (ulong)i), shifted.Strategies[0].Runs.Select(r => r.Seed));
    }

    [Fact]
    public void Curves_are_best_so_far_and_checkpoints_read_them()
    {
        var result = TabularHarness.Run(table.Benchmark, Config(queries: 120, seeds: 5));
        foreach (var strategy in result.Strategies)
        {
            var curve = strategy.Anytime.ObjectiveMean;
            Assert.Equal(120, curve.Length);
            for (int i = 1; i < curve.Length; i++) Assert.True(curve[i] >= curve[i - 1]);
            Assert.Equal([50, 100, 120], strategy.Checkpoints.Select(c => c.Queries));
            Assert.Equal(curve[49], strategy.Checkpoints[0].Objective.Mean, 12);
            Assert.Equal(strategy.Anytime.ReportMean![119], strategy.BestReport!.Mean, 12);
            Assert.Equal(curve[119], strategy.BestObjective.Mean, 12);
            // The report of each run is the report column of the architecture it returns (test = score / 2 here).
            foreach (var run in strategy.Runs) Assert.Equal(run.BestObjective / 2, run.BestReport!.Value, 12);
        }
        var comparison = result.Comparisons.Single(c => c.Strategy == "rea" && c.Queries == 120 && c.Column == "test");
        Assert.Equal(result.Strategies[1].Checkpoints[2].Report!.Mean - result.Strategies[0].Checkpoints[2].Report!.Mean, comparison.Difference, 10);
        Assert.InRange(comparison.PValue, 0, 1);
    }

    [Fact]
    public void Costs_are_recorded_for_the_best_architecture_and_every_trial()
    {
        var result = TabularHarness.Run(table.Benchmark, Config(queries: 30, seeds: 3) with { Costs = ["cost"] });
        foreach (var run in result.Strategies.SelectMany(s => s.Runs))
        {
            var costs = run.TrialCosts!["cost"];
            Assert.Equal(30, costs.Length);
            Assert.All(costs, c => Assert.InRange(c, 0, 6));
            Assert.Equal(table.Benchmark.Value(Nascent.Spaces.Nb201Space.Instance.Parse(run.BestArch), "cost"), run.BestCosts!["cost"]);
        }
        foreach (var strategy in result.Strategies)
            Assert.Equal(strategy.Runs.Average(r => r.BestCosts!["cost"]), strategy.BestCosts!["cost"].Mean, 12);
    }

    [Fact]
    public void A_simulated_time_budget_ends_runs_early()
    {
        // 'cost' as simulated seconds: at most 6 per query, so a budget of 40 s ends a run after at least 7 queries.
        var result = TabularHarness.Run(table.Benchmark, WithTime(Config(queries: 100, seeds: 4)));
        foreach (var run in result.Strategies.SelectMany(s => s.Runs))
        {
            Assert.InRange(run.Queries, 7, 99);
            Assert.True(run.SimulatedSeconds >= 40);
        }
    }

    [Fact]
    public void Reinforce_runs_on_a_table_with_the_controller_and_is_reproducible()
    {
        var config = Config() with { Strategies = ["rs", "reinforce"] };
        var first = TabularHarness.Run(table.Benchmark, config);
        var second = TabularHarness.Run(table.Benchmark, config);
        var reinforce = first.Strategies.Single(s => s.Name == "reinforce");
        Assert.Equal(reinforce.BestObjective.Mean, second.Strategies.Single(s => s.Name == "reinforce").BestObjective.Mean);
        // Each run returns a table row and its score; the summary is their mean.
        Assert.All(reinforce.Runs, r =>
            Assert.Equal(table.Benchmark.Value(Nascent.Spaces.Nb201Space.Instance.Parse(r.BestArch), "score"), r.BestObjective));
        Assert.Equal(reinforce.Runs.Average(r => r.BestObjective), reinforce.BestObjective.Mean, 12);
    }

    [Fact]
    public void Nao_runs_on_a_table_reproducibly_on_any_threads_and_its_predictor_is_scored_on_held_out_rows()
    {
        var config = Config(queries: 24, seeds: 2) with
        {
            Strategies = ["rs", "nao"], HeldOut = 100,
            StrategyOptions = new Dictionary<string, IStrategyOptions>
            {
                ["nao"] = new NaoOptions { SeedArchitectures = 10, NewPerIteration = 7, TopK = 5, Epochs = 20 },
            },
        };
        var one = TabularHarness.Run(table.Benchmark, config with { Threads = 1 });
        var two = TabularHarness.Run(table.Benchmark, config with { Threads = 2 });
        Assert.Equal(Json(one), Json(two));
        var nao = one.Strategies.Single(s => s.Name == "nao");
        Assert.All(nao.Runs, r => Assert.InRange(r.PredictorKendallTau!.Value, -1, 1));
        Assert.Equal(nao.Runs.Average(r => r.PredictorKendallTau!.Value), nao.PredictorKendallTau!.Mean, 12);
        Assert.Null(one.Strategies.Single(s => s.Name == "rs").PredictorKendallTau);
        Assert.Contains("nao: predictor Kendall τ on held-out architectures", TabularHarness.FormatMarkdown(one));
    }

    [Theory]
    [InlineData("rsws", "trains shared weights on image or text data, so it cannot run on a table")]
    [InlineData("bogus", "Unknown strategy 'bogus'")]
    public void Strategies_that_cannot_run_on_a_table_say_so(string name, string message)
    {
        var e = Assert.Throws<NascentException>(() => TabularHarness.Run(table.Benchmark, Config() with { Strategies = [name] }));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Bench_writes_config_result_summary_and_figures()
    {
        using var temp = new TempFolder();
        string output = Path.Combine(temp.Path, "bench");
        var (code, written, errors) = Cli.NascentCli.Run("bench", "--table", table.Path, "--objective", "score", "--report", "test",
            "--cost", "cost", "--strategies", "rs,rea", "--queries", "40", "--seeds", "4", "--checkpoints", "10,40", "--out", output, "--quiet");
        Assert.True(code == 0, errors);
        Assert.Contains("diff vs rs (test)", written);
        foreach (var file in new[] { "config.json", "result.json", "summary.md", "anytime.png", "anytime_report.png", "pareto_fronts.png" })
            Assert.True(File.Exists(Path.Combine(output, file)), file);
        var png = File.ReadAllBytes(Path.Combine(output, "anytime.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.True(png.Length > 10_000);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "result.json")));
        var strategies = json.RootElement.GetProperty("strategies");
        Assert.Equal(2, strategies.GetArrayLength());
        var rea = strategies[1];
        Assert.Equal("rea", rea.GetProperty("name").GetString());
        Assert.Equal(40, rea.GetProperty("anytime").GetProperty("objective_mean").GetArrayLength());
        Assert.Equal(4, rea.GetProperty("runs").GetArrayLength());
        // The summary's spread is the sample standard deviation of the runs' best objectives.
        var bests = rea.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("best_objective").GetDouble()).ToArray();
        double mean = bests.Average();
        Assert.Equal(mean, rea.GetProperty("best_objective").GetProperty("mean").GetDouble(), 12);
        Assert.Equal(Math.Sqrt(bests.Sum(b => (b - mean) * (b - mean)) / (bests.Length - 1)),
            rea.GetProperty("best_objective").GetProperty("std").GetDouble(), 12);
        Assert.Equal(40, rea.GetProperty("runs")[0].GetProperty("trial_costs").GetProperty("cost").GetArrayLength());
        // 2 checkpoints x (objective, report, and with --cost the hypervolume)
        Assert.Equal(6, json.RootElement.GetProperty("comparisons").GetArrayLength());
        Assert.Contains("| rea | 40 |", File.ReadAllText(Path.Combine(output, "summary.md")));
    }
}
