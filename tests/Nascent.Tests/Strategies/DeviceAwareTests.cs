using Nascent.Core;
using Nascent.Costs;
using Nascent.Evaluation;
using Nascent.Experiments;
using Nascent.Objectives;
using Nascent.Spaces;
using Nascent.Strategies;
using Nascent.Tests.Data;
using Nascent.Tests.Tabular;
using Nascent.Experiments.Bench;
using Nascent.Experiments.Execution;
using Nascent.Experiments.Search;

namespace Nascent.Tests.Strategies;

/// <summary>MONAS and DPP-Net on the synthetic table, whose <c>cost</c> column counts convolution edges (0-6) and
/// whose <c>score</c> rewards agreeing with a target that has three of them.</summary>
public sealed class DeviceAwareTests(SyntheticTable table) : IClassFixture<SyntheticTable>, IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Trial Told(double accuracy, double cost, TrialStatus status = TrialStatus.Done) =>
        new(1, Nb201Space.Instance.Create([1, 1, 1, 1, 1, 1]), status,
            status == TrialStatus.Done ? new Metrics(accuracy) { Extra = new Dictionary<string, double> { ["cost"] = cost } } : null);

    [Fact]
    public void Weighted_reward_is_accuracy_minus_weight_times_cost_over_the_largest_cost_seen()
    {
        var reward = new MonasReward(new CostObjectives { Costs = [new CostMetric("cost")] }, new MonasOptions { CostWeight = 0.5 });
        Assert.Equal(0.9 - 0.5 * 4 / 4, reward.Of(Told(90, 4)), 12);
        Assert.Equal(0.8 - 0.5 * 2 / 4, reward.Of(Told(80, 2)), 12);   // scale stays at the largest cost, 4
        Assert.Equal(0.7 - 0.5 * 8 / 8, reward.Of(Told(70, 8)), 12);
        Assert.Equal(0, reward.Of(Told(0, 0, TrialStatus.Failed)));

        var scaled = new MonasReward(new CostObjectives { Costs = [new CostMetric("cost")] }, new MonasOptions { CostWeight = 0.2, CostScale = 10 });
        Assert.Equal(0.9 - 0.2 * 4 / 10.0, scaled.Of(Told(90, 4)), 12);
    }

    [Fact]
    public void Constrained_reward_is_the_accuracy_within_the_budget_and_a_fixed_value_above()
    {
        var reward = new MonasReward(new CostObjectives { Costs = [new CostMetric("cost")], Budget = 3 }, new MonasOptions { OverBudgetReward = -0.5 });
        Assert.Equal(0.9, reward.Of(Told(90, 3)), 12);
        Assert.Equal(-0.5, reward.Of(Told(95, 3.5)), 12);
    }

    [Fact]
    public void A_missing_cost_is_one_clear_error()
    {
        var reward = new MonasReward(new CostObjectives { Costs = [new CostMetric("latency")] });
        var e = Assert.Throws<NascentException>(() => reward.Of(Told(90, 1)));
        Assert.Contains("no latency measurement", e.Message);
    }

    [Fact]
    public void Constrained_monas_never_returns_an_architecture_over_the_budget_when_one_within_it_was_evaluated()
    {
        for (ulong seed = 0; seed < 4; seed++)
        {
            string folder = Path.Combine(_temp.Path, $"monas-{seed}");
            var (code, output, errors) = Cli.NascentCli.Run("search", "--table", table.Path, "--objective", "score", "--cost", "cost",
                "--budget", "2", "--strategy", "monas", "--queries", "60", "--seed", seed.ToString(), "--out", folder, "--quiet");
            Assert.True(code == 0, errors);
            var result = RunDirectory.ReadJson<SearchResult>(Path.Combine(folder, "result.json"));
            using var store = new TrialStore(Path.Combine(folder, TrialStore.FileName));
            var trials = store.Load(Nb201Space.Instance).ToList();
            var within = trials.Where(t => t.Metrics!.Extra["cost"] <= 2).ToList();
            Assert.NotEmpty(within); // the claim below is only tested when it applies
            Assert.True(result.Pareto!.BestWithinBudget);
            Assert.True(result.Best.Costs!["cost"] <= 2, $"seed {seed}: returned cost {result.Best.Costs["cost"]} over the budget 2");
            Assert.Equal(within.Max(t => t.Objective), result.Best.ValAcc);
            // The front is the non-dominated set of the evaluated (score, cost) pairs.
            var points = trials.Select(t => (IReadOnlyList<double>)[t.Objective, t.Metrics!.Extra["cost"]]).ToList();
            var objectives = new[] { Objective.Accuracy, new CostMetric("cost").Objective };
            Assert.All(result.Pareto.Front, f => Assert.DoesNotContain(points, p => NonDominatedSorting.Dominates(p, [f.ValAcc, f.Costs["cost"]], objectives)));
            Assert.True(File.Exists(Path.Combine(folder, ParetoOutcome.Figure)));
        }
    }

    [Fact]
    public void Constrained_monas_learns_to_sample_within_the_budget()
    {
        // Uniform sampling keeps cost <= 1 (at most one convolution edge of six, each edge 2/5 likely) in about 23 % of
        // samples; the controller, rewarded only within the budget, must do clearly better late in the run.
        var objectives = new CostObjectives { Costs = [new CostMetric("cost")], Budget = 1 };
        var evaluator = new TabularEvaluator(table.Benchmark, new TabularColumns("score", Costs: ["cost"]));
        double late = 0;
        const int seeds = 3, queries = 300;
        for (ulong seed = 0; seed < seeds; seed++)
        {
            using var monas = (Enas)Enas.MonasDescriptor.Create(new StrategyContext(Nb201Space.Instance, seed, objectives, []));
            var costs = new List<double>();
            for (int q = 0; q < queries; q++)
            {
                var a = monas.Ask();
                var metrics = evaluator.Evaluate(a);
                monas.Tell(new Trial(q, a, TrialStatus.Done, metrics));
                costs.Add(metrics.Extra["cost"]);
            }
            late += costs.Skip(queries - 100).Count(c => c <= 1) / 100.0 / seeds;
        }
        Assert.True(late > 0.5, $"only {late:P0} of the last 100 samples kept the budget");
    }

    [Fact]
    public void Nb201_cells_grow_one_node_per_block_and_later_nodes_pass_the_last_one_on()
    {
        var space = Nb201Space.Instance;
        Assert.Equal([[0], [1, 2], [3, 4, 5]], space.ProgressiveBlocks.Select(b => b.ToArray()).ToArray());
        var full = space.Parse("|nor_conv_3x3~0|+|avg_pool_3x3~0|nor_conv_1x1~1|+|skip_connect~0|none~1|nor_conv_3x3~2|");
        Assert.Equal("|nor_conv_3x3~0|+|none~0|skip_connect~1|+|none~0|none~1|skip_connect~2|", space.Grown(full.Choices, 1).ToString());
        Assert.Equal("|nor_conv_3x3~0|+|avg_pool_3x3~0|nor_conv_1x1~1|+|none~0|none~1|skip_connect~2|", space.Grown(full.Choices, 2).ToString());
        Assert.Equal(full, space.Grown(full.Choices, 3));
        Assert.Throws<NascentException>(() => new EnasMicroSpace(2).Grown(new EnasMicroSpace(2).Sample(new SeededRandom(1)).Choices, 1));
    }

    private Dpp NewDpp(ulong seed, int keep = 8) => (Dpp)Dpp.Descriptor.Create(new StrategyContext(Nb201Space.Instance, seed,
        new CostObjectives { Costs = [new CostMetric("cost")] }, [new TableColumnCost(table.Benchmark, "cost")]),
        new DppOptions { Keep = keep, PredictorEpochs = 20 });

    private void Run(ISearchStrategy strategy, int queries, List<Architecture> asked)
    {
        var evaluator = new TabularEvaluator(table.Benchmark, new TabularColumns("score", Costs: ["cost"]));
        for (int q = 0; q < queries; q++)
        {
            var a = strategy.Ask();
            asked.Add(a);
            strategy.Tell(new Trial(asked.Count, a, TrialStatus.Done, evaluator.Evaluate(a)));
        }
    }

    [Fact]
    public void Dpp_evaluates_the_one_block_cells_then_K_expansions_of_them_per_stage()
    {
        var space = Nb201Space.Instance;
        using var dpp = NewDpp(seed: 3, keep: 8);
        var asked = new List<Architecture>();
        Run(dpp, 5 + 8 + 8, asked);
        Assert.Equal(3, dpp.Stage);
        var stage1 = asked.Take(5).ToList();
        Assert.Equal(Enumerable.Range(0, 5).Select(op => space.Grown([op, 0, 0, 0, 0, 0], 1)), stage1);
        var stage2 = asked.Skip(5).Take(8).ToList();
        Assert.All(stage2, a => Assert.Equal(a, space.Grown(a.Choices, 2)));            // two-node cells
        Assert.All(stage2, a => Assert.Contains(space.Grown(a.Choices, 1), stage1));     // grown from stage 1
        var stage3 = asked.Skip(13).ToList();
        Assert.All(stage3, a => Assert.Contains(space.Grown(a.Choices, 2), stage2));     // grown from stage 2
        Assert.Equal(asked.Count, asked.Distinct().Count());

        // Further asks keep drawing unevaluated full cells from the last stage's expansions.
        Run(dpp, 8, asked);
        Assert.Equal(1, dpp.FinalRounds);
        Assert.All(asked.Skip(21), a => Assert.Contains(space.Grown(a.Choices, 2), stage2));
        Assert.Equal(asked.Count, asked.Distinct().Count());
    }

    [Fact]
    public void Dpp_resumes_from_its_exported_state_with_the_same_asks()
    {
        using var first = NewDpp(seed: 9);
        var asked = new List<Architecture>();
        Run(first, 11, asked);
        var state = first.ExportState();
        var continued = new List<Architecture>();
        Run(first, 15, continued);
        using var resumed = NewDpp(seed: 1234);
        resumed.ImportState(state);
        var replayed = new List<Architecture>();
        Run(resumed, 15, replayed);
        Assert.Equal(continued, replayed);
    }

    [Fact]
    public void Dpp_needs_a_progressive_space_and_a_cost_model()
    {
        var costs = new CostObjectives { Costs = [new CostMetric("cost")] };
        var e = Assert.Throws<NascentException>(() => Dpp.Descriptor.Create(new StrategyContext(new EnasMicroSpace(2), 0, costs, [new TableColumnCost(table.Benchmark, "cost")])));
        Assert.Contains("no blocks", e.Message);
        e = Assert.Throws<NascentException>(() => Dpp.Descriptor.Create(new StrategyContext(Nb201Space.Instance, 0, costs, [])));
        Assert.Contains("--cost", e.Message);
    }

    [Fact]
    public void The_lstm_predictor_learns_to_rank_unseen_architectures()
    {
        var random = new SeededRandom(4);
        var space = Nb201Space.Instance;
        var all = Enumerable.Range(0, 400).Select(_ => space.Sample(random)).Distinct().ToList();
        double Target(Architecture a) => a.Choices.Count(c => c == 3) / 6.0 + 0.05 * a[0];
        var train = all.Take(200).ToList();
        var test = all.Skip(200).ToList();
        using var predictor = new LstmAccuracyPredictor(space, 32, 100, random);
        predictor.Fit(train, train.Select(Target).ToList(), 60, 64, 0.01, random);
        double tau = Nascent.Analysis.Correlation.Kendall(predictor.Predict(test), test.Select(Target).ToList());
        Assert.True(tau > 0.6, $"Kendall tau {tau:F2} on unseen architectures");
    }

    [Fact]
    public void A_bench_with_costs_scores_every_run_by_hypervolume_within_the_tables()
    {
        var config = new BenchConfig
        {
            Table = new TableSettings { Tables = [table.Path], Objective = "score", Queries = 40 }, Costs = ["cost"],
            Strategies = ["rs", "monas", "dpp"], Seeds = 3, Checkpoints = [10, 25], HeldOut = 100, Budget = 2,
            StrategyOptions = new Dictionary<string, IStrategyOptions> { ["dpp"] = new DppOptions { Keep = 10, PredictorEpochs = 20 } },
            Out = Path.Combine(_temp.Path, "bench"),
        };
        var result = TabularHarness.Run(config);
        Assert.True(File.Exists(Path.Combine(result.RunDirectory, TabularHarness.FrontsFigure)));
        var pareto = result.Pareto!;
        Assert.Equal(["score", "cost"], pareto.Objectives);
        Assert.Equal(table.Benchmark.ColumnValues("score").Min(), pareto.Point[0]);
        Assert.Equal(6, pareto.Point[1]);
        foreach (var s in result.Strategies)
        {
            var hv = s.Checkpoints.Select(c => c.Hypervolume!.Mean).ToArray();
            Assert.True(hv.Zip(hv.Skip(1)).All(p => p.First <= p.Second + 1e-9), $"{s.Name}: hypervolume fell between checkpoints");
            Assert.All(s.Runs, r => Assert.InRange(r.Hypervolume!.Value, 0, pareto.TableHypervolume + 1e-9));
            // Every run found an architecture within the budget; the best of those is no better than its best overall.
            Assert.All(s.Runs, r => Assert.InRange(r.BestWithinBudget!.Value, pareto.Point[0], r.BestObjective));
        }
        Assert.Contains(result.Comparisons, c => c.Column == TabularHarness.HypervolumeColumn && c.Strategy == "dpp");
        Assert.Contains("hypervolume (% of table front)", TabularHarness.FormatMarkdown(result));
    }
}
