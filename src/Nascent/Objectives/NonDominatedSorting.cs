namespace Nascent.Objectives;

/// <summary>
/// NSGA-II's fast non-dominated sort (Deb et al. 2002): splits points into fronts, front 0 the Pareto front (no point
/// dominates them), front 1 what only front 0 dominates, and so on. O(M N²) for N points and M objectives.
/// A point dominates another when it is no worse in every objective and better in at least one; equal points do not
/// dominate each other and share a front.
/// </summary>
public static class NonDominatedSorting
{
    /// <summary>Every front, best first; each front lists point indices in ascending order.</summary>
    public static IReadOnlyList<IReadOnlyList<int>> Fronts(IReadOnlyList<IReadOnlyList<double>> points,
        IReadOnlyList<Objective> objectives)
    {
        var rows = Objective.Minimized(points, objectives);
        int n = rows.Length;
        var dominated = new List<int>[n];   // the points each point dominates
        var dominatorCount = new int[n];    // how many points dominate each point
        for (int i = 0; i < n; i++) dominated[i] = [];
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                int order = Compare(rows[i], rows[j]);
                if (order < 0) { dominated[i].Add(j); dominatorCount[j]++; }
                else if (order > 0) { dominated[j].Add(i); dominatorCount[i]++; }
            }

        var fronts = new List<IReadOnlyList<int>>();
        var current = Enumerable.Range(0, n).Where(i => dominatorCount[i] == 0).ToList();
        while (current.Count > 0)
        {
            fronts.Add(current);
            var next = new List<int>();
            foreach (int i in current)
                foreach (int j in dominated[i])
                    if (--dominatorCount[j] == 0) next.Add(j);
            next.Sort();
            current = next;
        }
        return fronts;
    }

    /// <summary>The front number of each point (0 for the Pareto front).</summary>
    public static int[] Ranks(IReadOnlyList<IReadOnlyList<double>> points, IReadOnlyList<Objective> objectives)
    {
        var ranks = new int[points.Count];
        var fronts = Fronts(points, objectives);
        for (int f = 0; f < fronts.Count; f++)
            foreach (int i in fronts[f]) ranks[i] = f;
        return ranks;
    }

    /// <summary>Indices of the non-dominated points, ascending. In lexicographic order every point comes after the
    /// points that dominate it, so a point is on the front when no front point found before it dominates it:
    /// O(N log N + N F M) for a front of F points, where the full sort compares every pair (a whole table of 15,625
    /// rows: milliseconds instead of seconds).</summary>
    public static IReadOnlyList<int> ParetoFront(IReadOnlyList<IReadOnlyList<double>> points, IReadOnlyList<Objective> objectives)
    {
        var rows = Objective.Minimized(points, objectives);
        var order = Enumerable.Range(0, rows.Length).ToArray();
        Array.Sort(order, (i, j) =>
        {
            for (int k = 0; k < objectives.Count; k++)
            {
                int c = rows[i][k].CompareTo(rows[j][k]);
                if (c != 0) return c;
            }
            return i.CompareTo(j);
        });
        var front = new List<int>();
        foreach (int i in order)
            if (!front.Any(f => Compare(rows[f], rows[i]) < 0)) front.Add(i);
        front.Sort();
        return front;
    }

    /// <summary>True when <paramref name="a"/> dominates <paramref name="b"/> under these objectives.</summary>
    public static bool Dominates(IReadOnlyList<double> a, IReadOnlyList<double> b, IReadOnlyList<Objective> objectives)
    {
        var rows = Objective.Minimized([a, b], objectives);
        return Compare(rows[0], rows[1]) < 0;
    }

    /// <summary>-1 when a dominates b, 1 when b dominates a, 0 otherwise (both to minimise).</summary>
    private static int Compare(double[] a, double[] b)
    {
        bool aBetter = false, bBetter = false;
        for (int k = 0; k < a.Length; k++)
        {
            if (a[k] < b[k]) aBetter = true;
            else if (b[k] < a[k]) bBetter = true;
            if (aBetter && bBetter) return 0;
        }
        return aBetter ? -1 : bBetter ? 1 : 0;
    }
}
