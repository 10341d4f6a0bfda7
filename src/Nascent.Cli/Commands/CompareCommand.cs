using Nascent.Experiments.Compare;

namespace Nascent.Cli;

/// <summary>`nascent compare`: strategies over several seeds with the same search options, every returned architecture
/// retrained alike, the retrained test accuracies compared (<see cref="CompareExperiment"/>).</summary>
internal static class CompareCommand
{
    private sealed record RunSettings
    {
        [Setting("no progress, only the final table")]
        public bool Quiet { get; init; }
    }

    public static NascentCommand Create(CommandContext context)
    {
        var command = new NascentCommand("compare", "run strategies over several seeds, retrain what they return, test the difference")
        {
            Details = """
                nascent compare --strategies enas,rsws [--seeds K] [--first-seed N] [--retrain-epochs N] [--retrain-subset N] [--out DIR] [search options]

                Runs each strategy over seeds FIRST..FIRST+K-1 with the same search options (those of nascent search, listed
                here too), retrains every returned architecture the same way (nascent train, same epochs, data and seed), and
                compares the retrained test accuracies: mean ± std per strategy, Welch's t-test and the Mann-Whitney U test per
                pair. A strategy option applies to every compared strategy that has it.
                """,
        };
        var compare = new SettingOptions<CompareConfig>(
            ("--strategies LIST", nameof(CompareConfig.Strategies)),
            ("--seeds K", nameof(CompareConfig.Seeds)),
            ("--first-seed N", nameof(CompareConfig.FirstSeed)),
            ("--retrain-epochs N", nameof(CompareConfig.RetrainEpochs)),
            ("--retrain-subset N", nameof(CompareConfig.RetrainSubset)),
            ("--out DIR", nameof(CompareConfig.Out)),
            ("--resume", nameof(CompareConfig.Resume)));
        var run = new SettingOptions<RunSettings>(("--quiet", nameof(RunSettings.Quiet)));
        var search = new SearchOptions(withOut: false);
        command.Add(compare);
        command.Add(run);
        search.AddTo(command);
        command.SetAction(parse =>
        {
            var config = compare.Bind(parse);
            var searchConfig = search.Bind(parse);
            config = config with { Search = searchConfig, StrategyOptions = search.Strategies.OptionsOf(config.Strategies, searchConfig.Space, parse) };
            using var progress = context.Progress(run.Bind(parse).Quiet);
            var result = CompareExperiment.Run(config, progress, context.Cancellation);
            var output = context.Output;
            output.WriteLine($"{"strategy",-12} {"retrained test acc",20} {"search val acc",18} {"search s",9}");
            foreach (var s in result.Summaries)
                output.WriteLine($"{s.Strategy,-12} {s.TestAccMean,11:F2} ± {s.TestAccStd,5:F2} {s.SearchValAccMean,9:F2} ± {s.SearchValAccStd,5:F2} {s.SearchSecondsMean,9:F0}");
            foreach (var t in result.Tests)
                output.WriteLine($"{t.A} - {t.B}: {t.MeanDifference:+0.00;-0.00} points, Welch p = {(t.WelchP is { } p ? p.ToString("G3", CultureInfo.InvariantCulture) : "n/a")}, " +
                    $"Mann-Whitney U = {t.MannWhitneyU:F1}, p = {t.MannWhitneyP.ToString("G3", CultureInfo.InvariantCulture)}");
            output.WriteLine($"{result.Seeds} seed(s) per strategy in {result.WallSeconds:F0} s; run written to: {result.RunDirectory}");
            return 0;
        });
        return command;
    }
}
