namespace Nascent.Objectives;

/// <summary>
/// NSGA-II's environmental selection: the best <c>k</c> points by front (the Pareto front first, then what only it
/// dominates, ...); the front that does not fit whole is cut by crowding distance, loneliest first, so the kept
/// points spread along the trade-off. Ties keep index order, so the choice is deterministic.
/// </summary>
public static class ParetoSelection
{
    /// <summary>Indices of the selected points, front by front.</summary>
    public static IReadOnlyList<int> Select(IReadOnlyList<IReadOnlyList<double>> points, IReadOnlyList<Objective> objectives, int k)
    {
        if (k < 0) throw new ArgumentOutOfRangeException(nameof(k), k, "Select a non-negative number of points.");
        var selected = new List<int>(Math.Min(k, points.Count));
        foreach (var front in NonDominatedSorting.Fronts(points, objectives))
        {
            int room = k - selected.Count;
            if (room <= 0) break;
            if (front.Count <= room)
            {
                selected.AddRange(front);
                continue;
            }
            var distance = CrowdingDistance.Of(front.Select(i => points[i]).ToArray(), objectives);
            selected.AddRange(Enumerable.Range(0, front.Count).OrderByDescending(j => distance[j]).ThenBy(j => j)
                .Take(room).Select(j => front[j]));
        }
        return selected;
    }
}
