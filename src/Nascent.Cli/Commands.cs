using System.CommandLine.Help;

namespace Nascent.Cli;

/// <summary>The `nascent` commands: parse the arguments with the command tree (<see cref="CommandLine"/>), run the
/// chosen command's action.</summary>
public static class Commands
{
    /// <summary>Runs `nascent ARGS`. A parse error is one <see cref="NascentException"/> line (Program prints it, exit
    /// code 2), and a library message about a setting is reworded with the command's flag.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter errors, CancellationToken cancellation)
    {
        var root = CommandLine.Create(new CommandContext(output, errors, cancellation), args);
        var parse = root.Parse(args is ["help"] ? ["--help"] : args, CommandLine.Parsing);
        if (args.Length == 0 || parse.Action is HelpAction)
        {
            Help.Write(parse, output);
            return args.Length == 0 ? 2 : 0;
        }
        if (parse.Errors.Count > 0) throw new NascentException(ParseErrors.Describe(parse));
        try
        {
            return parse.Invoke(new InvocationConfiguration
            {
                Output = output, Error = errors, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null,
            });
        }
        catch (NascentException e) when (parse.CommandResult.Command is NascentCommand command && command.FlagFor(e.Setting) is { } flag)
        {
            throw new NascentException(e.MessageFor(flag), e); // the library names its setting; the user knows the flag
        }
    }

    /// <summary>Parses `nascent ARGS` with the same command tree as <see cref="Run"/>, running nothing: the one line a
    /// parse error gives (an unknown command or option, a missing or malformed value), or none.</summary>
    public static IReadOnlyList<string> Parse(string[] args)
    {
        var root = CommandLine.Create(new CommandContext(TextWriter.Null, TextWriter.Null, CancellationToken.None), args);
        var parse = root.Parse(args, CommandLine.Parsing);
        return parse.Errors.Count > 0 ? [ParseErrors.Describe(parse)] : [];
    }

    /// <summary>Where progress goes: bars on standard error, JSON lines there with --json-progress, nowhere with --quiet.</summary>
    internal static ProgressRenderer? Progress(bool quiet, bool json, TextWriter errors)
    {
        if (quiet && json) throw new NascentException("--quiet and --json-progress exclude each other: choose one.");
        return ProgressRenderer.For(quiet, json, errors);
    }
}
