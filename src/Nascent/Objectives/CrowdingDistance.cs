namespace Nascent.Objectives;

/// <summary>
/// NSGA-II's crowding distance of the points of one front: per objective, the points sorted by it; the two extremes
/// get infinity (they are always kept), every other point adds the gap between its two neighbours divided by the
/// objective's range. A larger distance means a lonelier point, preferred when a front must be cut.
/// </summary>
public static class CrowdingDistance
{
    public static double[] Of(IReadOnlyList<IReadOnlyList<double>> front, IReadOnlyList<Objective> objectives)
    {
        var rows = Objective.Minimized(front, objectives);
        int n = rows.Length;
        var distance = new double[n];
        if (n <= 2)
        {
            Array.Fill(distance, double.PositiveInfinity);
            return distance;
        }
        for (int k = 0; k < objectives.Count; k++)
        {
            // Ties keep index order, so the result does not depend on the sort's stability.
            var order = Enumerable.Range(0, n).OrderBy(i => rows[i][k]).ThenBy(i => i).ToArray();
            distance[order[0]] = double.PositiveInfinity;
            distance[order[^1]] = double.PositiveInfinity;
            double range = rows[order[^1]][k] - rows[order[0]][k];
            if (range == 0) continue; // every point equal here: the objective tells them apart no more
            for (int p = 1; p < n - 1; p++)
                distance[order[p]] += (rows[order[p + 1]][k] - rows[order[p - 1]][k]) / range;
        }
        return distance;
    }
}
