namespace Nascent.Cli;

/// <summary>The `nascent` command tree: every command under one root, so `nascent --help` lists them all.</summary>
internal static class CommandLine
{
    /// <summary>How arguments are read: an argument starting with '@' is a plain argument, not a response file.</summary>
    public static ParserConfiguration Parsing { get; } = new() { ResponseFileTokenReplacer = null };

    /// <summary>The tree that parses <paramref name="args"/>: `search --strategy instanas` has options of its own, so
    /// those arguments get InstaNAS's `search` (<see cref="InstaNasSearchCommand"/>) in place of the cell search.</summary>
    public static Command Create(CommandContext context, IReadOnlyList<string> args)
    {
        var root = new Command("nascent", "neural architecture search for .NET ('nascent COMMAND --help' lists a command's options)");
        root.Options.Add(Help.Option());
        root.Subcommands.Add(args is ["search", ..] && InstaNasSearchCommand.IsSelected(args)
            ? InstaNasSearchCommand.Create(context) : SearchCommand.Create(context));
        root.Subcommands.Add(WorkerCommand.Create(context));
        root.Subcommands.Add(BenchCommand.Create(context));
        root.Subcommands.Add(CompareCommand.Create(context));
        root.Subcommands.Add(TrainCommand.Create(context));
        root.Subcommands.Add(ReportCommand.Create(context));
        root.Subcommands.Add(ExportCommand.Create(context));
        root.Subcommands.Add(AnalyzeCommand.Create(context));
        root.Subcommands.Add(LatencyCommand.Create(context));
        root.Subcommands.Add(DataCommand.Create(context));
        root.Subcommands.Add(InferCommand.Create(context));
        root.Subcommands.Add(PredictCommand.Create(context));
        return root;
    }
}
