using System.CommandLine.Parsing;

namespace Nascent.Cli;

/// <summary>
/// A failed parse as one line, in the words the command line has always used: an unknown option or command, an
/// option without a value, a missing or unexpected argument (the command's usage). Other errors (a value that does not
/// parse) are already worded by <see cref="OptionValues"/>; System.CommandLine's own usage and help are never printed
/// for a mistake.
/// </summary>
internal static class ParseErrors
{
    public static string Describe(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var unmatched = parse.UnmatchedTokens;
        if (IsRoot(command))
            return unmatched.Count > 0 && !IsOption(unmatched[0])
                ? $"Unknown command '{unmatched[0]}': use {Choices(command.Subcommands.Select(c => c.Name).ToArray())} (see nascent --help)."
                : $"Unknown option {unmatched.FirstOrDefault() ?? ""}: a command comes first (see nascent --help).";
        if (unmatched.FirstOrDefault(IsOption) is { } option) return UnknownOption(option, command);
        if (command.Subcommands.Count > 0) return Usage(command);
        var options = parse.Errors.Select(e => e.SymbolResult as OptionResult ?? e.SymbolResult?.Parent as OptionResult).OfType<OptionResult>().ToArray();
        if (options.FirstOrDefault(r => r.Tokens.Count == 0) is { } empty) return $"Option {empty.Option.Name} needs a value.";
        if (options.FirstOrDefault(r => r.IdentifierTokenCount > 1 && r.Option.Arity.MaximumNumberOfValues == 1) is { } twice)
            return $"Option {twice.Option.Name} is given twice.";
        if (command.Arguments.Any(a => parse.GetResult(a) is not { Tokens.Count: > 0 })) return Usage(command);
        if (parse.Errors.FirstOrDefault(e => e.SymbolResult is not CommandResult) is { } error) return error.Message;
        if (unmatched.Count > 0) return $"Unexpected argument '{unmatched[0]}' for '{TopName(command)}' (see nascent {PathOf(command)} --help).";
        return parse.Errors[0].Message;
    }

    public static string UnknownOption(string option, Command command) =>
        $"Unknown option {option} for '{TopName(command)}' (see nascent {PathOf(command)} --help).";

    /// <summary>"Usage: nascent latency profile|check [options] (see ...)", "Usage: nascent report RUN_DIR [options] (see ...)".</summary>
    private static string Usage(Command command)
    {
        var words = command.Subcommands.Count > 0
            ? [string.Join('|', command.Subcommands.Select(c => c.Name))]
            : command.Arguments.Select(a => a.Name);
        return $"Usage: nascent {PathOf(command)} {string.Join(' ', words)} [options] (see nascent {PathOf(command)} --help).";
    }

    /// <summary>The command's words after `nascent`, e.g. "latency check".</summary>
    public static string PathOf(Command command) => string.Join(' ', Lineage(command).Reverse().Skip(1).Select(c => c.Name));

    private static string TopName(Command command) => Lineage(command).Reverse().Skip(1).First().Name;

    private static IEnumerable<Command> Lineage(Command command)
    {
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault()) yield return c;
    }

    private static bool IsRoot(Command command) => !command.Parents.OfType<Command>().Any();

    private static bool IsOption(string token) => token.StartsWith('-') && token.Length > 1 && !char.IsDigit(token[1]);

    private static string Choices(IReadOnlyList<string> names) => names.Count == 1 ? names[0] : $"{string.Join(", ", names.SkipLast(1))} or {names[^1]}";
}
