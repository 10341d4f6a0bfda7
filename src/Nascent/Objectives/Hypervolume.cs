namespace Nascent.Objectives;

/// <summary>
/// The hypervolume indicator: the volume of objective space that the points dominate, bounded by a reference point
/// (a value no wanted point is worse than in any objective, e.g. accuracy 0 and the largest acceptable latency).
/// Exact in any number of objectives: 2 objectives by a sweep (O(N log N)); more by slicing along the last objective
/// and summing slab thickness times the hypervolume of the points below the slab (HSO; 3 objectives in O(N² log N)).
/// A point that is not strictly better than the reference in every objective bounds no volume and adds nothing.
/// </summary>
public static class Hypervolume
{
    public static double Of(IReadOnlyList<IReadOnlyList<double>> points, IReadOnlyList<Objective> objectives,
        IReadOnlyList<double> reference)
    {
        if (reference.Count != objectives.Count)
            throw new ArgumentException($"The reference point has {reference.Count} values for {objectives.Count} objectives.", nameof(reference));
        if (reference.Any(v => !double.IsFinite(v)))
            throw new ArgumentException("The reference point must be finite: an infinite bound gives an infinite volume.", nameof(reference));
        var minimized = Objective.Minimized(points, objectives);
        var bound = Objective.Minimized([reference], objectives)[0];
        var inside = minimized.Where(p => p.Zip(bound).All(pair => pair.First < pair.Second)).ToArray();
        return Volume(inside, bound, objectives.Count);
    }

    /// <summary>Hypervolume of the first <paramref name="dimensions"/> coordinates of points all strictly inside
    /// the reference box.</summary>
    private static double Volume(double[][] points, double[] reference, int dimensions)
    {
        if (points.Length == 0) return 0;
        if (dimensions == 1) return reference[0] - points.Min(p => p[0]);
        if (dimensions == 2) return Sweep(points, reference);
        int last = dimensions - 1;
        var sorted = points.OrderBy(p => p[last]).ToArray();
        double volume = 0;
        for (int i = 0; i < sorted.Length; i++)
        {
            double top = i + 1 < sorted.Length ? sorted[i + 1][last] : reference[last];
            double thickness = top - sorted[i][last];
            if (thickness > 0) volume += thickness * Volume(sorted[..(i + 1)], reference, last);
        }
        return volume;
    }

    /// <summary>Points by the first objective, ascending: each point that improves on the best second objective so
    /// far adds the strip between its value and that best, from its first objective to the reference.</summary>
    private static double Sweep(double[][] points, double[] reference)
    {
        var sorted = points.OrderBy(p => p[0]).ThenBy(p => p[1]).ToArray();
        double area = 0, ceiling = reference[1];
        foreach (var p in sorted)
            if (p[1] < ceiling)
            {
                area += (reference[0] - p[0]) * (ceiling - p[1]);
                ceiling = p[1];
            }
        return area;
    }
}
