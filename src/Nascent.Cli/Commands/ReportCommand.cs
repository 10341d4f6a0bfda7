using Nascent.Reports;

namespace Nascent.Cli;

/// <summary>`nascent report RUN_DIR`: (re)writes a run's report.html.</summary>
internal static class ReportCommand
{
    public static NascentCommand Create(CommandContext context)
    {
        var command = new NascentCommand("report", "write a run's report.html (configuration, best cells, search curve, ...)")
        {
            Details = """
                Writes RUN_DIR/report.html, one self-contained page (no network needed to view it): the configuration,
                the best architectures with their cells drawn, the search curve, the distribution of trial accuracies,
                the Pareto front of a run with --cost, the entropy a controller-based run recorded. Beside it:
                search_curve.png, accuracy_histogram.png and best_cell*.svg. Every search writes it when it ends.
                """,
        };
        var run = command.AddArgument("RUN_DIR", "a run directory (of a search, a bench, a train or a compare)");
        command.SetAction(parse =>
        {
            context.Output.WriteLine($"report written to: {RunReport.Write(parse.GetRequiredValue(run))}");
            return 0;
        });
        return command;
    }
}
