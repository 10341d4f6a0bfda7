using Nascent.Core;
using Nascent.Objectives;

namespace Nascent.Tests.Objectives;

public sealed class HypervolumeTests
{
    private static Objective[] Costs(int count) =>
        Enumerable.Range(0, count).Select(k => new Objective($"cost {k}", Direction.Minimize, "")).ToArray();

    [Fact]
    public void Two_objectives_give_the_area_of_the_staircase()
    {
        // Steps of widths 3, 2, 1 and height 1 each under the reference (4, 4).
        double[][] points = [[1, 3], [2, 2], [3, 1]];
        Assert.Equal(6, Hypervolume.Of(points, Costs(2), [4, 4]), 12);
        // A dominated point, a point beyond the reference and one on its boundary add nothing.
        Assert.Equal(6, Hypervolume.Of([.. points, [3, 3], [5, 0], [4, 0], [1, 4]], Costs(2), [4, 4]), 12);
        Assert.Equal(0, Hypervolume.Of([[5, 5]], Costs(2), [4, 4]));
        Assert.Equal(0, Hypervolume.Of([], Costs(2), [4, 4]));
    }

    [Fact]
    public void Accuracy_is_measured_up_from_the_reference_and_latency_down()
    {
        // (90 %, 10 ms) covers accuracy 0..90 x latency 10..20, (80 %, 5 ms) adds 0..80 x 5..10: 900 + 400.
        double[][] points = [[90, 10], [80, 5]];
        Assert.Equal(1300, Hypervolume.Of(points, [Objective.Accuracy, Objective.LatencyMs], [0, 20]), 9);
    }

    [Fact]
    public void Three_objectives_give_unit_cubes_and_their_known_unions()
    {
        Assert.Equal(1, Hypervolume.Of([[0, 0, 0]], Costs(3), [1, 1, 1]), 12);
        // Three 2x1x1 boxes meeting in the unit cube at (1,1,1)-(2,2,2): 3 * 2 - 3 * 1 + 1 = 4.
        double[][] three = [[0, 1, 1], [1, 0, 1], [1, 1, 0]];
        Assert.Equal(4, Hypervolume.Of(three, Costs(3), [2, 2, 2]), 12);
        // The origin's box holds all three: the union is the whole 2x2x2 cube.
        Assert.Equal(8, Hypervolume.Of([.. three, [0, 0, 0]], Costs(3), [2, 2, 2]), 12);
        // Maximised accuracy and two costs: the box is 90 x 10 x 2.
        Objective[] mixed = [Objective.Accuracy, Objective.LatencyMs, Objective.ParamsMillions];
        Assert.Equal(1800, Hypervolume.Of([[90, 10, 1]], mixed, [0, 20, 3]), 9);
    }

    [Fact]
    public void Exact_volume_equals_inclusion_exclusion_on_small_random_sets_with_mixed_directions()
    {
        var random = new SeededRandom(7);
        foreach (int dimensions in new[] { 2, 3, 4 })
            for (int trial = 0; trial < 20; trial++)
            {
                var objectives = Enumerable.Range(0, dimensions)
                    .Select(k => new Objective($"o{k}", random.Next(2) == 0 ? Direction.Maximize : Direction.Minimize, "")).ToArray();
                int count = 1 + random.Next(8);
                // Values 0..10, reference at 1 or 9, so some points lie outside the reference box.
                var points = Enumerable.Range(0, count)
                    .Select(_ => Enumerable.Range(0, dimensions).Select(_ => Math.Round(10 * random.NextDouble(), 1)).ToArray()).ToArray();
                var reference = objectives.Select(o => o.IsMaximized ? 1.0 : 9.0).ToArray();
                double expected = InclusionExclusion(points, objectives, reference);
                Assert.Equal(expected, Hypervolume.Of(points, objectives, reference), 9);
            }
    }

    [Fact]
    public void Exact_volume_in_three_objectives_equals_a_monte_carlo_estimate()
    {
        var random = new SeededRandom(11);
        var objectives = new[] { Objective.Accuracy, Objective.LatencyMs, Objective.ParamsMillions };
        // Points near a trade-off surface: high accuracy costs latency and parameters.
        var points = Enumerable.Range(0, 40).Select(_ =>
        {
            double accuracy = 50 + 45 * random.NextDouble();
            return new[] { accuracy, accuracy / 10 * (0.5 + random.NextDouble()), accuracy / 50 * (0.5 + random.NextDouble()) };
        }).ToArray();
        double[] reference = [40, 15, 3];
        double exact = Hypervolume.Of(points, objectives, reference);

        // Sample the box between the reference and the best value of each objective.
        double[] low = [40, points.Min(p => p[1]), points.Min(p => p[2])];
        double[] high = [points.Max(p => p[0]), 15, 3];
        double box = (high[0] - low[0]) * (high[1] - low[1]) * (high[2] - low[2]);
        const int samples = 200_000;
        int hits = 0;
        for (int s = 0; s < samples; s++)
        {
            double[] x = [.. Enumerable.Range(0, 3).Select(k => low[k] + (high[k] - low[k]) * random.NextDouble())];
            if (points.Any(p => p[0] >= x[0] && p[1] <= x[1] && p[2] <= x[2])) hits++;
        }
        double fraction = (double)hits / samples;
        double estimate = fraction * box, standardError = box * Math.Sqrt(fraction * (1 - fraction) / samples);
        Assert.InRange(fraction, 0.05, 0.95); // the sample box is not trivially full or empty
        Assert.InRange(exact, estimate - 4 * standardError, estimate + 4 * standardError);
    }

    [Fact]
    public void Adding_a_point_never_decreases_the_volume()
    {
        var random = new SeededRandom(23);
        foreach (int dimensions in new[] { 2, 3 })
            for (int trial = 0; trial < 25; trial++)
            {
                var objectives = Enumerable.Range(0, dimensions)
                    .Select(k => new Objective($"o{k}", random.Next(2) == 0 ? Direction.Maximize : Direction.Minimize, "")).ToArray();
                var reference = objectives.Select(o => o.IsMaximized ? 0.0 : 1.0).ToArray();
                var points = new List<double[]>();
                double previous = 0;
                for (int i = 0; i < 30; i++)
                {
                    // Some points fall outside the reference box (values up to 1.2).
                    points.Add([.. Enumerable.Range(0, dimensions).Select(_ => 1.2 * random.NextDouble())]);
                    double volume = Hypervolume.Of(points, objectives, reference);
                    Assert.True(volume >= previous - 1e-12, $"{dimensions}-D: {previous} fell to {volume} on adding point {i}");
                    previous = volume;
                }
                Assert.True(previous > 0);
            }
    }

    [Fact]
    public void A_reference_of_the_wrong_length_or_an_infinite_one_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Hypervolume.Of([[1, 1]], Costs(2), [2]));
        Assert.Throws<ArgumentException>(() => Hypervolume.Of([[1, 1]], Costs(2), [2, double.PositiveInfinity]));
    }

    /// <summary>The union of the boxes [point, reference] (in minimised terms) by inclusion-exclusion over every
    /// non-empty subset: a subset's boxes meet in the box from their coordinate-wise worst corner.</summary>
    private static double InclusionExclusion(double[][] points, Objective[] objectives, double[] reference)
    {
        var bound = reference.Select((r, k) => objectives[k].ToMinimized(r)).ToArray();
        double total = 0;
        for (int subset = 1; subset < 1 << points.Length; subset++)
        {
            double volume = 1;
            for (int k = 0; k < bound.Length; k++)
            {
                double corner = double.NegativeInfinity;
                for (int i = 0; i < points.Length; i++)
                    if ((subset & (1 << i)) != 0) corner = Math.Max(corner, objectives[k].ToMinimized(points[i][k]));
                volume *= Math.Max(0, bound[k] - corner);
            }
            total += (int.PopCount(subset) % 2 == 1 ? 1 : -1) * volume;
        }
        return total;
    }
}
