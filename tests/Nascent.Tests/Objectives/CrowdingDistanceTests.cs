using Nascent.Objectives;

namespace Nascent.Tests.Objectives;

public sealed class CrowdingDistanceTests
{
    private static readonly Objective[] TwoCosts =
        [new("a", Direction.Minimize, ""), new("b", Direction.Minimize, "")];

    [Fact]
    public void Boundary_points_are_infinite_and_inner_points_sum_normalised_neighbour_gaps()
    {
        double[][] front = [[0, 4], [1, 2], [3, 1], [4, 0]];
        var distance = CrowdingDistance.Of(front, TwoCosts);
        // (1,2): neighbours span 3 of 4 in a and 3 of 4 in b; (3,1): 3 of 4 in a, 2 of 4 in b.
        Assert.Equal(double.PositiveInfinity, distance[0]);
        Assert.Equal(1.5, distance[1], 12);
        Assert.Equal(1.25, distance[2], 12);
        Assert.Equal(double.PositiveInfinity, distance[3]);
    }

    [Fact]
    public void Direction_does_not_change_distances_and_small_fronts_are_all_infinite()
    {
        double[][] front = [[90, 4], [85, 2], [80, 1], [60, 0], [88, 3]];
        Objective[] mixed = [Objective.Accuracy, Objective.LatencyMs];
        Objective[] costs = [Objective.ParamsMillions, Objective.LatencyMs];
        Assert.Equal(CrowdingDistance.Of(front, costs), CrowdingDistance.Of(front, mixed));
        Assert.All(CrowdingDistance.Of([[1, 2], [2, 1]], TwoCosts), d => Assert.Equal(double.PositiveInfinity, d));
        Assert.Equal([double.PositiveInfinity], CrowdingDistance.Of([[1, 2]], TwoCosts));
        Assert.Empty(CrowdingDistance.Of([], TwoCosts));
    }

    [Fact]
    public void An_objective_where_all_points_are_equal_adds_nothing()
    {
        double[][] front = [[0, 7], [1, 7], [3, 7], [4, 7]];
        var distance = CrowdingDistance.Of(front, TwoCosts);
        Assert.Equal(0.75, distance[1], 12);
        Assert.Equal(0.75, distance[2], 12);
    }
}
