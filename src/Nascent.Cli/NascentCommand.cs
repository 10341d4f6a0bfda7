namespace Nascent.Cli;

/// <summary>What a command's action writes to and stops on.</summary>
public sealed record CommandContext(TextWriter Output, TextWriter Errors, CancellationToken Cancellation)
{
    /// <summary>Where progress goes: standard error (<see cref="ProgressRenderer.For"/>), or nowhere with --quiet.
    /// The caller disposes it when the command ends.</summary>
    public ProgressRenderer? Progress(bool quiet) => ProgressRenderer.For(quiet, json: false, Errors);
}

/// <summary>
/// A `nascent` command on System.CommandLine: a one-line summary (what `nascent --help` lists), the paragraphs its
/// own help ends with, and the options records it reads, so that a library message about one of their settings
/// names the command's flag (<see cref="FlagFor"/>).
/// </summary>
public class NascentCommand(string name, string summary) : Command(name, summary)
{
    private readonly List<ISettingOptions> _settings = [];

    /// <summary>Printed after the options in this command's help.</summary>
    public string? Details { get; init; }

    /// <summary>Adds the options of an options record.</summary>
    public void Add(ISettingOptions settings)
    {
        _settings.Add(settings);
        foreach (var option in settings.Options) Options.Add(option);
    }

    /// <summary>Adds a positional argument. A value that starts with "--" is an option this command does not have.</summary>
    public Argument<string> AddArgument(string name, string description) => Add(new Argument<string>(name) { Description = description });

    /// <summary>Adds a positional argument taking one or more values (PATH...), checked as <see cref="AddArgument"/>.</summary>
    public Argument<string[]> AddArguments(string name, string description) =>
        Add(new Argument<string[]>(name) { Description = description, Arity = ArgumentArity.OneOrMore });

    private Argument<T> Add<T>(Argument<T> argument)
    {
        argument.Validators.Add(result =>
        {
            if (result.Tokens.FirstOrDefault(t => t.Value.StartsWith("--", StringComparison.Ordinal)) is { } token)
                result.AddError(ParseErrors.UnknownOption(token.Value, this));
        });
        Arguments.Add(argument);
        return argument;
    }

    /// <summary>The flag this command gives <paramref name="setting"/>, or null when it reads no such setting.</summary>
    public string? FlagFor(string? setting) => _settings.Select(s => s.FlagFor(setting)).FirstOrDefault(flag => flag is not null);
}
