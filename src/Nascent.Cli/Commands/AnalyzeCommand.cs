using Nascent.Analysis;
using Nascent.Experiments.Execution;

namespace Nascent.Cli;

/// <summary>`nascent analyze controller --run RUN_DIR`: do an ENAS controller's hidden states predict the graph
/// similarity of the architectures it samples? (<see cref="ControllerAnalysis"/>)</summary>
internal static class AnalyzeCommand
{
    private sealed record AnalyzeSettings
    {
        [Setting("a search run of --strategy enas or enas-memory (its config.json and strategy.json, the trained controller)")]
        public string? Run { get; init; }
        [Setting("output directory (default RUN_DIR/analysis)")]
        public string? Out { get; init; }
        [Setting("no progress bars")]
        public bool Quiet { get; init; }
    }

    public static NascentCommand Create(CommandContext context)
    {
        var group = new NascentCommand("analyze", "analyze controller: do an ENAS controller's hidden states predict the graph " +
            "similarity of the architectures it samples? (Adam & Lorraine 2019); analyze ranking: a supernet's ranking against a truth table");
        var controller = new NascentCommand("controller", "correlate an ENAS controller's hidden states with the graph similarity of its samples")
        {
            Details = """
                Correlates hidden-state similarity (cosine and Euclidean distance of the final hidden state and of the mean
                over decisions) with graph similarity (graph edit distance, Jaccard of labelled edges, Weisfeiler-Lehman
                kernel): Pearson and Spearman with bootstrap 95 % intervals, overall and per decision step. Experiment (a)
                fixes 25, 50 and 75 % of the decisions (one identical hidden state) and compares the samples that follow
                with unconditioned ones. Writes analysis.json, analysis.csv, prefix.csv, steps.csv, samples.csv,
                pairs.csv, scatter_cosine_wl.png and scatter_cosine_ged.png (docs/RESULTS.md).
                """,
        };
        var settings = new SettingOptions<AnalyzeSettings>(
            ("--run RUN_DIR", nameof(AnalyzeSettings.Run)),
            ("--out DIR", nameof(AnalyzeSettings.Out)),
            ("--quiet", nameof(AnalyzeSettings.Quiet)));
        var analysis = new SettingOptions<ControllerAnalysisOptions>(
            ("--samples N", nameof(ControllerAnalysisOptions.Samples)),
            ("--pairs N", nameof(ControllerAnalysisOptions.Pairs)),
            ("--prefix-samples M", nameof(ControllerAnalysisOptions.PrefixSamples)),
            ("--prefix-anchors N", nameof(ControllerAnalysisOptions.PrefixAnchors)),
            ("--bootstrap N", nameof(ControllerAnalysisOptions.BootstrapResamples)),
            ("--wl-iterations N", nameof(ControllerAnalysisOptions.WlIterations)),
            ("--seed N", nameof(ControllerAnalysisOptions.Seed)));
        controller.Add(settings);
        controller.Add(analysis);
        controller.SetAction(parse =>
        {
            var s = settings.Bind(parse);
            string run = s.Run ?? throw new NascentException("nascent analyze controller needs --run RUN_DIR: a search run of enas or enas-memory.");
            var options = analysis.Bind(parse);
            options.Validate();
            using var strategy = ControllerAnalysis.LoadStrategy(run);
            using var progress = context.Progress(s.Quiet);
            var result = ControllerAnalysis.Run(strategy, options, progress);
            var directory = RunDirectory.Create(s.Out ?? Path.Combine(run, "analysis"), "analyze");
            var files = ControllerAnalysisReport.Write(result, directory);
            context.Output.Write(ControllerAnalysisReport.FormatTable(result));
            context.Output.WriteLine($"written to: {directory.Path} ({string.Join(", ", files)}) in {result.WallSeconds:F1} s");
            return 0;
        });
        group.Subcommands.Add(controller);
        group.Subcommands.Add(AnalyzeRankingCommand.Create(context));
        return group;
    }
}
