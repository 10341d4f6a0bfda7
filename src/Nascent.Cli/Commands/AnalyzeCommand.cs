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
        [Setting("search vanilla ENAS, the memory buffer without and with the decision-recovery loss with RUN's configuration (seed, data, budget) and analyse the three side by side")]
        public bool Variants { get; init; }
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
                With --variants, RUN's config.json is searched three times (enas; enas-memory without the
                decision-recovery loss; with it), each into OUT/NAME with its analysis in OUT/NAME/analysis, and the
                three are compared in OUT/result.json, OUT/variants.csv and one console table.
                """,
        };
        var settings = new SettingOptions<AnalyzeSettings>(
            ("--run RUN_DIR", nameof(AnalyzeSettings.Run)),
            ("--out DIR", nameof(AnalyzeSettings.Out)),
            ("--quiet", nameof(AnalyzeSettings.Quiet)),
            ("--variants", nameof(AnalyzeSettings.Variants)));
        var analysis = new SettingOptions<ControllerAnalysisOptions>(
            ("--samples N", nameof(ControllerAnalysisOptions.Samples)),
            ("--pairs N", nameof(ControllerAnalysisOptions.Pairs)),
            ("--prefix-samples M", nameof(ControllerAnalysisOptions.PrefixSamples)),
            ("--prefix-anchors N", nameof(ControllerAnalysisOptions.PrefixAnchors)),
            ("--bootstrap N", nameof(ControllerAnalysisOptions.BootstrapResamples)),
            ("--wl-iterations N", nameof(ControllerAnalysisOptions.WlIterations)),
            ("--seed N", nameof(ControllerAnalysisOptions.Seed)),
            ("--variant-aux-weight W", nameof(ControllerAnalysisOptions.VariantAuxiliaryWeight)));
        controller.Add(settings);
        controller.Add(analysis);
        controller.SetAction(parse =>
        {
            var s = settings.Bind(parse);
            string run = s.Run ?? throw new NascentException("nascent analyze controller needs --run RUN_DIR: a search run of enas or enas-memory.");
            var options = analysis.Bind(parse);
            options.Validate();
            if (s.Variants)
            {
                var config = ControllerAnalysis.ReadRunConfig(run);
                var output = RunDirectory.Create(s.Out ?? Path.Combine(run, "variants"), "analyze");
                using var variantProgress = context.Progress(s.Quiet);
                var variants = ControllerVariants.Run(config, output, options, variantProgress);
                context.Output.Write(ControllerAnalysisReport.FormatVariantsTable(variants));
                context.Output.WriteLine($"written to: {output.Path} (result.json, variants.csv; each variant's run and analysis in " +
                    $"{string.Join(", ", variants.Variants.Select(v => v.Variant))}) in {variants.WallSeconds:F1} s");
                return 0;
            }
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
