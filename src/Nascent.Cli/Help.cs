using System.CommandLine.Help;
using System.Text.RegularExpressions;

namespace Nascent.Cli;

/// <summary>
/// Help as System.CommandLine writes it, for the command asked about and, for a command group such as `latency`, for
/// each of its subcommands too; each followed by its <see cref="NascentCommand.Details"/>. Option values are shown
/// as the README writes them, <c>--samples N</c> rather than <c>--samples &lt;N&gt;</c>.
/// </summary>
internal static partial class Help
{
    public const int Width = 118;

    public static void Write(ParseResult parse, TextWriter output)
    {
        var command = parse.CommandResult.Command;
        var text = new StringWriter();
        WriteOne(parse.RootCommandResult.Command, ParseErrors.PathOf(command), text);
        if (command != parse.RootCommandResult.Command)
            foreach (var subcommand in command.Subcommands)
                WriteOne(parse.RootCommandResult.Command, $"{ParseErrors.PathOf(command)} {subcommand.Name}", text);
        output.Write(ValuePlaceholder().Replace(text.ToString(), "$1 $2  ")); // two spaces keep the columns
    }

    private static void WriteOne(Command root, string path, StringWriter text)
    {
        var parse = root.Parse([.. path.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"], CommandLine.Parsing);
        if (text.ToString().Length > 0) text.WriteLine(new string('-', 40));
        parse.Invoke(new InvocationConfiguration { Output = text });
        if (parse.CommandResult.Command is NascentCommand { Details: { } details })
        {
            text.WriteLine("Details:");
            foreach (var line in details.Split('\n')) text.WriteLine(line.Length > 0 ? "  " + line.TrimEnd() : "");
            text.WriteLine();
        }
    }

    /// <summary>The root's help option, writing at a fixed width (the same in a terminal, a pipe and a test).</summary>
    public static HelpOption Option() => new() { Recursive = true, Action = new HelpAction { MaxWidth = Width } };

    [GeneratedRegex(@"(--[a-z][a-z0-9-]*) <([^<>\s]+)>(?=  )")]
    private static partial Regex ValuePlaceholder();
}
