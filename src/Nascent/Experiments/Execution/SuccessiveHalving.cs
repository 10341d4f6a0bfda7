namespace Nascent.Experiments.Execution;

/// <summary>
/// The rungs of a ranking by successive halving (Jamieson and Talwalkar 2016, Algorithm 1, with Hyperband's rate η,
/// Li et al. 2018): each rung passes the best 1/η of its candidates (rounded up) to the next, which scores them on η
/// times the data; the last rung scores on all of the ranking data. No rung scores as few candidates as there are
/// finalists (they are re-scored on the whole validation set anyway), so a small pool is ranked in fewer rungs, the
/// last of them still on all the ranking data.
/// </summary>
public static class SuccessiveHalving
{
    /// <param name="Share">The part of the ranking data this rung scores on (1: all of it).</param>
    /// <param name="Candidates">How many candidates it scores.</param>
    public readonly record struct Rung(double Share, int Candidates);

    public static IReadOnlyList<Rung> Plan(int candidates, int rungs, int rate, int finalists)
    {
        if (rungs < 1 || rate < 2) throw new ArgumentOutOfRangeException(nameof(rungs), "at least one rung and a rate of at least 2");
        var counts = new List<int> { candidates };
        while (counts.Count < rungs)
        {
            int kept = (counts[^1] + rate - 1) / rate;
            if (kept <= finalists) break; // the next rung would score only finalists
            counts.Add(kept);
        }
        return counts.Select((n, r) => new Rung(Math.Pow(rate, r - (counts.Count - 1)), n)).ToList();
    }

    /// <summary>How many of a rung's candidates go on: the next rung's count, or the finalists after the last.</summary>
    public static int Kept(IReadOnlyList<Rung> plan, int rung, int finalists) =>
        rung + 1 < plan.Count ? plan[rung + 1].Candidates : finalists;
}
