using Nascent.Objectives;

namespace Nascent.Tests.Objectives;

public sealed class NonDominatedSortingTests
{
    private static readonly Objective[] TwoCosts =
        [new("a", Direction.Minimize, ""), new("b", Direction.Minimize, "")];

    private static readonly Objective[] AccuracyLatency = [Objective.Accuracy, Objective.LatencyMs];

    [Fact]
    public void Fronts_peel_off_in_order_and_equal_points_share_a_front()
    {
        double[][] points = [[1, 5], [2, 3], [4, 1], [3, 4], [5, 5], [2, 3], [4, 2]];
        // (3,4) only (2,3) and its copy dominate; (4,2) only (4,1); (5,5) also (3,4) and (4,2), so it is third.
        var fronts = NonDominatedSorting.Fronts(points, TwoCosts);
        Assert.Equal(3, fronts.Count);
        Assert.Equal([0, 1, 2, 5], fronts[0]);
        Assert.Equal([3, 6], fronts[1]);
        Assert.Equal([4], fronts[2]);
        Assert.Equal([0, 0, 0, 1, 2, 0, 1], NonDominatedSorting.Ranks(points, TwoCosts));
        Assert.Equal([0, 1, 2, 5], NonDominatedSorting.ParetoFront(points, TwoCosts));
    }

    [Fact]
    public void Accuracy_is_maximised_while_latency_is_minimised()
    {
        double[][] points = [[90, 10], [80, 5], [85, 12], [70, 20]];
        Assert.Equal([0, 0, 1, 2], NonDominatedSorting.Ranks(points, AccuracyLatency));
        Assert.True(NonDominatedSorting.Dominates([90, 10], [85, 12], AccuracyLatency));
        Assert.False(NonDominatedSorting.Dominates([90, 10], [80, 5], AccuracyLatency));
        Assert.False(NonDominatedSorting.Dominates([90, 10], [90, 10], AccuracyLatency));
        // Were accuracy a cost, (70, 20) would no longer be dominated by (90, 10).
        Assert.False(NonDominatedSorting.Dominates([90, 10], [70, 20], TwoCosts));
    }

    [Fact]
    public void Every_point_is_dominated_only_by_points_of_earlier_fronts_and_by_one_of_the_front_before()
    {
        var random = new Nascent.Core.SeededRandom(17);
        Objective[] objectives = [Objective.Accuracy, Objective.LatencyMs, Objective.ParamsMillions];
        var points = Enumerable.Range(0, 60)
            .Select(_ => new double[] { random.Next(20), random.Next(20), random.Next(20) }).ToArray();
        var ranks = NonDominatedSorting.Ranks(points, objectives);
        for (int i = 0; i < points.Length; i++)
        {
            for (int j = 0; j < points.Length; j++)
                if (NonDominatedSorting.Dominates(points[j], points[i], objectives))
                    Assert.True(ranks[j] < ranks[i], $"{j} dominates {i} but is not in an earlier front");
            if (ranks[i] > 0)
                Assert.Contains(Enumerable.Range(0, points.Length),
                    j => ranks[j] == ranks[i] - 1 && NonDominatedSorting.Dominates(points[j], points[i], objectives));
        }
    }

    [Fact]
    public void The_fast_pareto_front_is_the_first_front_of_the_full_sort_ties_and_repeats_included()
    {
        var random = new Nascent.Core.SeededRandom(5);
        Objective[][] cases = [AccuracyLatency, [Objective.Accuracy, Objective.LatencyMs, Objective.ParamsMillions]];
        foreach (var objectives in cases)
            for (int trial = 0; trial < 20; trial++)
            {
                var points = Enumerable.Range(0, 80)
                    .Select(_ => Enumerable.Range(0, objectives.Length).Select(_ => (double)random.Next(8)).ToArray()).ToArray();
                Assert.Equal(NonDominatedSorting.Fronts(points, objectives)[0], NonDominatedSorting.ParetoFront(points, objectives));
            }
    }

    [Fact]
    public void Bad_points_are_refused_and_no_points_give_no_fronts()
    {
        Assert.Empty(NonDominatedSorting.Fronts([], TwoCosts));
        Assert.Empty(NonDominatedSorting.ParetoFront([], TwoCosts));
        Assert.Throws<ArgumentException>(() => NonDominatedSorting.Fronts([[1, 2, 3]], TwoCosts));
        Assert.Throws<ArgumentException>(() => NonDominatedSorting.Fronts([[1, double.NaN]], TwoCosts));
    }
}
