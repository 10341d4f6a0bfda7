using Nascent.Analysis;
using Nascent.Experiments.Execution;
using Nascent.Experiments.Search;

namespace Nascent.Cli;

/// <summary>`nascent analyze ranking --run RUN_DIR --truth TABLE --column COL`: a weight-sharing search's supernet
/// ranking of a truth table's cells against the truth (<see cref="RankingAnalysis"/>).</summary>
internal static class AnalyzeRankingCommand
{
    public const string PairsFile = "ranking.csv";

    private sealed record RankingSettings
    {
        [Setting("a finished weight-sharing search on images (its config.json, checkpoint and result.json)")]
        public string? Run { get; init; }
        [Setting("the truth: a CSV with an 'arch' column and a column of true accuracies; repeat to join more files")]
        public IReadOnlyList<string> Truth { get; init; } = [];
        [Setting("no progress bars")]
        public bool Quiet { get; init; }
    }

    public static NascentCommand Create(CommandContext context)
    {
        var command = new NascentCommand("ranking", "rank a truth table's cells with a search's shared weights and compare with the truth")
        {
            Details = """
                Rebuilds the supernet of a finished weight-sharing search from its run directory (its latest checkpoint),
                scores a seeded sample of the truth table's cells with the shared weights on the search's own ranking
                images, and reports Kendall's tau-b, Spearman's rho and the top overlap between that ranking and the
                truth, each with a bootstrap 95 % interval over cells, and the true accuracy of the cell the search
                returned. Adds "truth" to the run's result.json and a section to its report.html; writes ranking.csv
                (arch, shared_acc, true_acc).
                """,
        };
        var settings = new SettingOptions<RankingSettings>(
            ("--run RUN_DIR", nameof(RankingSettings.Run)),
            new SettingFlag("--truth FILE.csv", nameof(RankingSettings.Truth)) { SplitAtCommas = false },
            ("--quiet", nameof(RankingSettings.Quiet)));
        var analysis = new SettingOptions<RankingAnalysisOptions>(
            ("--column COL", nameof(RankingAnalysisOptions.Column)),
            new SettingFlag("--cells N", nameof(RankingAnalysisOptions.Cells)) { NullText = "0", NullHelp = "0: all" },
            ("--top X", nameof(RankingAnalysisOptions.TopFraction)),
            ("--bootstrap N", nameof(RankingAnalysisOptions.BootstrapResamples)),
            ("--seed N", nameof(RankingAnalysisOptions.Seed)));
        command.Add(settings);
        command.Add(analysis);
        command.SetAction(parse =>
        {
            var s = settings.Bind(parse);
            string run = s.Run ?? throw new NascentException("nascent analyze ranking needs --run RUN_DIR: a finished weight-sharing search.");
            if (s.Truth.Count == 0) throw new NascentException("nascent analyze ranking needs --truth FILE.csv: a table of true accuracies.");
            using var progress = context.Progress(s.Quiet);
            var (result, cells) = RankingAnalysis.Run(run, s.Truth, analysis.Bind(parse), progress, context.Cancellation);
            var directory = RunDirectory.Of(run);
            File.WriteAllLines(directory.File(PairsFile), cells.Select(c =>
                FormattableString.Invariant($"{c.Arch},{c.SharedAccuracy:R},{c.TrueAccuracy:R}")).Prepend("arch,shared_acc,true_acc"));
            directory.WriteJson("result.json", RunDirectory.ReadResult(run, "analyze ranking") with { Truth = result });
            Reports.RunReport.Write(run);
            static string E(CorrelationEstimate e) => FormattableString.Invariant($"{e.Value:F3} [{e.Low:F3}, {e.High:F3}]");
            var output = context.Output;
            output.WriteLine($"{result.Cells} cells of {result.Truth} ({result.Column}) on {result.RankingImages} validation images each:");
            output.WriteLine($"  Kendall tau-b {E(result.Kendall)}, Spearman rho {E(result.Spearman)}, top {result.TopFraction:P0} overlap {E(result.TopOverlap)}");
            output.WriteLine($"  returned cell: true accuracy {(result.ReturnedTruth is { } t ? $"{t:F2} %" : "not in the table")} " +
                $"(table best {result.TruthBest:F2} %, median {result.TruthMedian:F2} %)");
            output.WriteLine($"written to: {directory.Path} (result.json, report.html, {PairsFile}) in {result.WallSeconds:F1} s");
            return 0;
        });
        return command;
    }
}
