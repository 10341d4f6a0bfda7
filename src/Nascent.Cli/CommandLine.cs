using System.CommandLine;

namespace Nascent.Cli;

/// <summary>The `nascent` command tree: every command, converted or still parsed by hand (<see cref="LegacyCommand"/>),
/// under one root, so `nascent --help` lists them all.</summary>
internal static class CommandLine
{
    /// <summary>How arguments are read: an argument starting with '@' is a plain argument, not a response file.</summary>
    public static ParserConfiguration Parsing { get; } = new() { ResponseFileTokenReplacer = null };

    public static Command Create(CommandContext context)
    {
        var root = new Command("nascent", "neural architecture search for .NET ('nascent COMMAND --help' lists a command's options)");
        root.Options.Add(Help.Option());
        root.Subcommands.Add(new LegacyCommand("search", "search a space for the best architecture (default: RSWS on MNIST, a few " +
            "minutes; with --table, over a tabular benchmark in a second)", args => Commands.Search(args, context)));
        root.Subcommands.Add(new LegacyCommand("bench", "run and score strategies over a tabular benchmark, many seeds each",
            args => Commands.Bench(args, context)));
        root.Subcommands.Add(new LegacyCommand("compare", "run strategies over several seeds, retrain what they return, test the difference",
            args => Commands.Compare(args, context)));
        root.Subcommands.Add(new LegacyCommand("train", "train one architecture from scratch and report its test accuracy",
            args => Commands.Train(args, context)));
        root.Subcommands.Add(ReportCommand.Create(context));
        root.Subcommands.Add(ExportCommand.Create(context));
        root.Subcommands.Add(AnalyzeCommand.Create(context));
        root.Subcommands.Add(LatencyCommand.Create(context));
        root.Subcommands.Add(DataCommand.Create(context));
        root.Subcommands.Add(InferCommand.Create(context));
        return root;
    }
}
