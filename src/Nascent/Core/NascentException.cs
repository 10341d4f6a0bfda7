namespace Nascent.Core;

/// <summary>
/// A user's mistake (a bad option value, a missing or corrupt file, an architecture string that does not parse).
/// The message is one line that names the thing and how to fix it; the command line prints it and exits with code 2.
/// A mistake in one setting names it as the library knows it (<see cref="Setting"/>, e.g.
/// <c>ControllerOptions.LearningRate</c>); <see cref="MessageFor"/> words it with the caller's name for it (a flag).
/// </summary>
public sealed class NascentException : Exception
{
    private const string Placeholder = "{setting}";
    private readonly string? _template;

    public NascentException(string message) : base(message) { }
    public NascentException(string message, Exception inner) : base(message, inner) { }

    private NascentException(string setting, string template) : base(template.Replace(Placeholder, setting))
    {
        Setting = setting;
        _template = template;
    }

    /// <summary>The setting at fault, or null when the mistake is not one setting's.</summary>
    public string? Setting { get; }

    /// <summary>A mistake in one setting; <paramref name="template"/> holds <c>{setting}</c> where its name goes.</summary>
    public static NascentException ForSetting(string setting, string template) => new(setting, template);

    /// <summary>The message with the setting called <paramref name="name"/>.</summary>
    public string MessageFor(string name) => _template is null ? Message : _template.Replace(Placeholder, name);
}
