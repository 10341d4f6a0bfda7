using Nascent.Experiments.Bench;
using Nascent.Objectives;

namespace Nascent.Cli;

/// <summary>`nascent bench`: strategies over a tabular benchmark, many seeds each, scored against a baseline
/// (<see cref="TabularHarness"/>).</summary>
internal static class BenchCommand
{
    private sealed record RunSettings
    {
        [Setting("no progress bar")]
        public bool Quiet { get; init; }
    }

    public static NascentCommand Create(CommandContext context)
    {
        var command = new NascentCommand("bench", "run and score strategies over a tabular benchmark, many seeds each")
        {
            Details = $"""
                nascent bench --table FILE.csv [--table FILE2.csv] --objective COL [--report COL] [--cost COL] --strategies rs,rea --queries N --seeds S [--out DIR]

                Writes result.json (per strategy: best objective and report mean ± std, checkpoints, anytime curves, every
                seed's run; Welch's t-test against the baseline), summary.md, anytime.png and anytime_report.png. With --cost
                each run is also scored by its hypervolume (and as a percentage of the whole table's front); with --budget,
                each strategy's best objective within the budget is reported too.

                {SearchCommand.StrategyList()}
                """,
        };
        var table = SearchOptions.TableOptions();
        var bench = new SettingOptions<BenchConfig>(
            ("--space NAME", nameof(BenchConfig.Space)),
            ("--nodes N", nameof(BenchConfig.Nodes)),
            SearchOptions.CostFlag(nameof(BenchConfig.Costs)), SearchOptions.BudgetFlag(nameof(BenchConfig.Budget)),
            ("--strategies LIST", nameof(BenchConfig.Strategies)),
            ("--seeds S", nameof(BenchConfig.Seeds)),
            ("--first-seed N", nameof(BenchConfig.FirstSeed)),
            ("--checkpoints LIST", nameof(BenchConfig.Checkpoints)),
            ("--baseline NAME", nameof(BenchConfig.Baseline)),
            ("--held-out N", nameof(BenchConfig.HeldOut)),
            ("--threads N", nameof(BenchConfig.Threads)),
            ("--out DIR", nameof(BenchConfig.Out)));
        var run = new SettingOptions<RunSettings>(("--quiet", nameof(RunSettings.Quiet)));
        var strategies = StrategyFlags.Options();
        command.Add(table);
        command.Add(bench);
        command.Add(run);
        command.Add(strategies);
        command.SetAction(parse =>
        {
            var config = bench.Bind(parse) with { Table = table.Bind(parse) };
            config = config with { StrategyOptions = strategies.OptionsOf(config.Strategies, config.Space, parse) };
            using var progress = context.Progress(run.Bind(parse).Quiet);
            var result = TabularHarness.Run(config, progress, context.Cancellation);
            var output = context.Output;
            output.Write(TabularHarness.FormatTable(result));
            output.WriteLine($"{result.Strategies.Count} strategies x {result.Seeds} seeds x {result.Queries} queries: " +
                $"table loaded in {result.LoadSeconds:F2} s, searches in {result.SearchSeconds:F2} s on {result.Threads} thread(s), {result.WallSeconds:F2} s in all");
            output.WriteLine($"run written to: {result.RunDirectory} (result.json, summary.md, {string.Join(", ", result.Figures)})");
            return 0;
        });
        return command;
    }
}
