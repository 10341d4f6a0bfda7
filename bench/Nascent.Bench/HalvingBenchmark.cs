using System.Security.Cryptography;
using System.Text;
using Nascent.Analysis;
using Nascent.Experiments;
using Nascent.Experiments.Execution;
using Nascent.Experiments.Search;
using Nascent.Strategies;

namespace Nascent.Bench;

/// <summary>
/// `halving` (issue 22, item 4): the default `nascent search` run twice per seed, ranking its candidates once on all
/// 1,000 ranking images each (one rung, the ranking of earlier releases) and once by successive halving in
/// <see cref="Rungs"/> rungs at the default rate of <see cref="WeightSharingOptions"/>. The same seed trains the same
/// supernet and asks the same candidates (the table checks that the two supernets' weights are byte for byte the
/// same), so the two rankings differ only in how they spend validation images: whether they return the same architecture, its
/// shared-weight accuracy on the whole validation set, and the time of ranking and of the whole search.
/// </summary>
internal static class HalvingBenchmark
{
    public const string DefaultOut = "runs/halving";

    /// <summary>The rungs measured against one: 100 candidates on 111, 34 on 333 and 12 on 1,000 images.</summary>
    public const int Rungs = 3;

    private sealed record Outcome(string Arch, double ValAcc, double RankingSeconds, double SearchSeconds, string SupernetHash);

    public static string Run(string outDir, int seeds)
    {
        var defaults = new WeightSharingOptions();
        var rows = new List<(ulong Seed, Outcome Today, Outcome Halving)>();
        for (ulong seed = 0; seed < (ulong)seeds; seed++)
        {
            var today = Search(outDir, seed, defaults with { RankingRungs = 1 });
            var halving = Search(outDir, seed, defaults with { RankingRungs = Rungs });
            rows.Add((seed, today, halving));
            Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} seed {seed}: {today.Arch} {today.ValAcc:F2}% in {today.RankingSeconds:F1} s; " +
                $"halving {halving.Arch} {halving.ValAcc:F2}% in {halving.RankingSeconds:F1} s");
        }

        var text = new StringBuilder();
        text.AppendLine($"Ranking of the default search's 100 candidates: one rung of {defaults.RankingImages} images each against " +
            $"{Rungs} rungs at rate {defaults.HalvingRate} " +
            $"({string.Join(", ", SuccessiveHalving.Plan(100, Rungs, defaults.HalvingRate, defaults.FinalTop).Select(r => $"{r.Candidates} on {Math.Round(r.Share * defaults.RankingImages)}"))} images), " +
            $"then the top {defaults.FinalTop} on the whole validation set in both. Ranking time is the rank and final phases' trials (their evaluation seconds, from trials.db).");
        text.AppendLine();
        text.AppendLine("| seed | same supernet | same architecture | val acc % (one rung) | val acc % (halving) | ranking s (one rung) | ranking s (halving) | search s (one rung) | search s (halving) |");
        text.AppendLine("|---:|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (seed, a, b) in rows)
            text.AppendLine($"| {seed} | {(a.SupernetHash == b.SupernetHash ? "yes" : "no")} | {(a.Arch == b.Arch ? "yes" : "no")} | {a.ValAcc:F2} | {b.ValAcc:F2} | " +
                $"{a.RankingSeconds:F1} | {b.RankingSeconds:F1} | {a.SearchSeconds:F1} | {b.SearchSeconds:F1} |");
        var diff = rows.Select(r => r.Halving.ValAcc - r.Today.ValAcc).ToArray();
        text.AppendLine();
        text.AppendLine($"Same architecture in {rows.Count(r => r.Today.Arch == r.Halving.Arch)} of {rows.Count} seeds; " +
            $"val acc of the returned cell, halving − one rung: {Statistics.Mean(diff):+0.00;-0.00} ± {(diff.Length > 1 ? Statistics.StandardDeviation(diff) : 0):F2} points " +
            $"({diff.Count(d => d < 0)} seeds worse, {diff.Count(d => d > 0)} better); " +
            $"ranking {rows.Average(r => r.Today.RankingSeconds):F1} s → {rows.Average(r => r.Halving.RankingSeconds):F1} s " +
            $"({rows.Average(r => r.Today.RankingSeconds / r.Halving.RankingSeconds):F2}x), " +
            $"search {rows.Average(r => r.Today.SearchSeconds):F1} s → {rows.Average(r => r.Halving.SearchSeconds):F1} s.");
        return text.ToString();
    }

    private static Outcome Search(string outDir, ulong seed, WeightSharingOptions ranking)
    {
        string folder = Path.Combine(outDir, $"seed-{seed}", $"rungs-{ranking.RankingRungs}");
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        var config = new SearchConfig { Seed = seed, Out = folder, WeightSharing = ranking };
        var result = SearchExperiment.Run(config, new ConsoleProgress());
        double rankingSeconds;
        using (var store = new TrialStore(Path.Combine(folder, TrialStore.FileName)))
            rankingSeconds = store.Load(config.CreateSpace()).Where(t => t.Phase is TrialPhase.Rank or TrialPhase.Final).Sum(t => t.Seconds);
        var checkpoint = Checkpoint.Latest(RunDirectory.Of(folder))
            ?? throw new InvalidOperationException($"{folder} wrote no checkpoint");
        string hash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(checkpoint.Path, "supernet.dat"))));
        return new Outcome(result.Best.Arch, result.Best.ValAcc, rankingSeconds, result.WallSeconds, hash);
    }
}
