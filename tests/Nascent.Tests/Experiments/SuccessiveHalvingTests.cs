using Nascent.Experiments.Execution;
using Nascent.Experiments.Search;
using Nascent.Spaces;
using Nascent.Strategies;
using Nascent.Tests.Data;
using Nascent.Tests.Strategies;

namespace Nascent.Tests.Experiments;

public sealed class SuccessiveHalvingTests
{
    [Fact]
    public void The_default_plan_ranks_100_candidates_on_a_ninth_a_third_and_all_of_the_data()
    {
        var plan = SuccessiveHalving.Plan(100, rungs: 3, rate: 3, finalists: 5);
        Assert.Equal([100, 34, 12], plan.Select(r => r.Candidates));
        Assert.Equal([1.0 / 9, 1.0 / 3, 1.0], plan.Select(r => r.Share), (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(5, SuccessiveHalving.Kept(plan, 2, finalists: 5));
        Assert.Equal(34, SuccessiveHalving.Kept(plan, 0, finalists: 5));
    }

    [Theory]
    [InlineData(100, 1, 5, new[] { 100 })]       // one rung: every candidate on all the ranking data
    [InlineData(6, 3, 2, new[] { 6 })]           // a third of 6 is the finalists: no second rung
    [InlineData(20, 3, 2, new[] { 20, 7, 3 })]
    [InlineData(20, 8, 2, new[] { 20, 7, 3 })]   // more rungs asked than halvings left: fewer rungs
    [InlineData(1, 3, 5, new[] { 1 })]
    public void Rungs_halve_until_only_finalists_would_be_left_and_the_last_scores_on_all_the_data(
        int candidates, int rungs, int finalists, int[] counts)
    {
        var plan = SuccessiveHalving.Plan(candidates, rungs, rate: 3, finalists);
        Assert.Equal(counts, plan.Select(r => r.Candidates).ToArray());
        Assert.Equal(1.0, plan[^1].Share);
        for (int r = 1; r < plan.Count; r++) Assert.Equal(3.0, plan[r].Share / plan[r - 1].Share, 9);
    }

    [Fact]
    public void The_search_scores_each_rung_on_its_share_and_passes_on_the_rungs_best()
    {
        using var folder = new TempFolder();
        using var store = new TrialStore(Path.Combine(folder.Path, TrialStore.FileName));
        var runner = new TrialRunner(store);
        var space = Nb201Space.Instance;
        var strategy = new RandomSearch(space, 3, weightSharing: true);
        using var supernet = new AnalyticSupernet(space, 1);
        var best = new WeightSharingSearch(runner, null).Run(strategy, supernet, candidates: 20,
            new WeightSharingOptions { FinalTop = 2, RankingRungs = 3, HalvingRate = 3 });

        Assert.Equal([1.0 / 9, 1.0 / 3, 1.0], supernet.RankingShares, (a, b) => Math.Abs(a - b) < 1e-12);
        var ranked = runner.Trials.Where(t => t.Phase == TrialPhase.Rank).ToList();
        var rungs = new[] { ranked.Take(20).ToList(), ranked.Skip(20).Take(7).ToList(), ranked.Skip(27).ToList() };
        Assert.Equal(3, rungs[2].Count);
        Assert.Equal(20, rungs[0].Select(t => t.Architecture).Distinct().Count());
        for (int r = 1; r < 3; r++) // each rung holds the previous rung's best, no other
            Assert.True(rungs[r].Select(t => t.Architecture).ToHashSet().SetEquals(
                rungs[r - 1].OrderByDescending(t => t.Objective).Take(rungs[r].Count).Select(t => t.Architecture)));
        var finals = runner.Trials.Where(t => t.Phase == TrialPhase.Final).ToList();
        Assert.True(finals.Select(t => t.Architecture).ToHashSet().SetEquals(
            rungs[2].OrderByDescending(t => t.Objective).Take(2).Select(t => t.Architecture)));
        Assert.Equal(rungs[0].Max(t => t.Objective), best.Objective);
    }
}
