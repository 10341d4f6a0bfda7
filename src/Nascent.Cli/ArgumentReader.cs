using System.Globalization;
using Nascent.Core;

namespace Nascent.Cli;

/// <summary>
/// Reads <c>--name value</c> and <c>--flag</c> options for one command. Each option is read once by name; only
/// list options (<see cref="List"/>) may be given more than once. Whatever is left unread at the end is a mistake the
/// user hears about in one line.
/// </summary>
public sealed class ArgumentReader
{
    private readonly Dictionary<string, List<string?>> _options = new(StringComparer.Ordinal);
    private readonly List<string> _positionals = [];

    public ArgumentReader(IEnumerable<string> args)
    {
        var list = args.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            var arg = list[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg == "--") { _positionals.Add(arg); continue; }
            string name = arg[2..];
            string? value = null;
            int eq = name.IndexOf('=');
            if (eq >= 0) (name, value) = (name[..eq], name[(eq + 1)..]);
            else if (i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal)) value = list[++i];
            if (!_options.TryGetValue(name, out var values)) _options[name] = values = [];
            values.Add(value);
        }
    }

    public IReadOnlyList<string> Positionals => _positionals;

    /// <summary>The options given and not read yet.</summary>
    public IReadOnlyCollection<string> Unread => _options.Keys;

    public bool Flag(string name)
    {
        var value = Single(name, out bool given);
        if (!given) return false;
        if (value is not null) throw new NascentException($"Option --{name} takes no value (got '{value}').");
        return true;
    }

    public string? String(string name)
    {
        var value = Single(name, out bool given);
        if (!given) return null;
        return value ?? throw new NascentException($"Option --{name} needs a value.");
    }

    /// <summary>A list option: every occurrence, each split on commas (<c>--cost a,b --cost c</c> gives a, b, c).
    /// Empty when the option is absent.</summary>
    public IReadOnlyList<string> List(string name) => Occurrences(name).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries))
        .Select(item => item.Length > 0 ? item : throw new NascentException($"Option --{name} has an empty item.")).ToArray();

    /// <summary>A repeatable option whose values are kept whole (file names may hold commas).</summary>
    public IReadOnlyList<string> Occurrences(string name)
    {
        if (!_options.Remove(name, out var values)) return [];
        return values.Select(v => v ?? throw new NascentException($"Option --{name} needs a value.")).ToArray();
    }

    private string? Single(string name, out bool given)
    {
        given = _options.Remove(name, out var values);
        if (!given) return null;
        if (values!.Count > 1) throw new NascentException($"Option --{name} is given twice.");
        return values[0];
    }

    public int? Int(string name, int min = int.MinValue)
    {
        var text = String(name);
        if (text is null) return null;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            throw new NascentException($"Option --{name} needs a whole number (got '{text}').");
        if (value < min) throw new NascentException($"Option --{name} must be at least {min} (got {value}).");
        return value;
    }

    public ulong? Seed(string name)
    {
        var text = String(name);
        if (text is null) return null;
        if (!ulong.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            throw new NascentException($"Option --{name} needs a non-negative whole number (got '{text}').");
        return value;
    }

    public double? Double(string name)
    {
        var text = String(name);
        if (text is null) return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            throw new NascentException($"Option --{name} needs a number (got '{text}').");
        return value;
    }

    /// <summary>Fails on any option nobody read, or any positional argument beyond the first
    /// <paramref name="positionalsRead"/> (those the command read itself, such as a subcommand).</summary>
    public void EnsureAllRead(string command, int positionalsRead = 0)
    {
        if (_options.Count > 0)
            throw new NascentException($"Unknown option --{_options.Keys.First()} for '{command}' (see nascent {command} --help).");
        if (_positionals.Count > positionalsRead)
            throw new NascentException($"Unexpected argument '{_positionals[positionalsRead]}' for '{command}' (see nascent {command} --help).");
    }
}
