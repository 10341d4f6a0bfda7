using System.CommandLine.Parsing;
using System.Reflection;

namespace Nascent.Cli;

/// <summary>The command-line options of one options record, as a command sees them: the options to add, and the flag
/// of each setting (so a library message about a setting can name the flag instead).</summary>
public interface ISettingOptions
{
    IReadOnlyList<Option> Options { get; }

    /// <summary>The flag of <paramref name="setting"/> (a <see cref="Settings.KeyOf"/> key such as
    /// <c>ControllerAnalysisOptions.Samples</c>), or null when it is not one of these options.</summary>
    string? FlagFor(string? setting);
}

/// <summary>The options of one record type, bound without knowing the type at compile time (strategy options records
/// nested in one another).</summary>
public interface IRecordOptions : ISettingOptions
{
    Type Record { get; }

    /// <summary>A copy of <paramref name="start"/> (of <see cref="Record"/>) with the given options set, range-checked.</summary>
    object Bind(ParseResult parse, object start);

    /// <summary>The properties whose option was given.</summary>
    IReadOnlyList<string> Given(ParseResult parse);
}

/// <summary>
/// One flag of <see cref="SettingOptions{TRecord}"/>: its name, optionally followed by the name of its value in help
/// (<c>"--samples N"</c>), and the record property it sets. A list property takes the option any number of times and
/// each value split at commas (<c>--cost a,b --cost c</c>), unless <see cref="SplitAtCommas"/> is false (values that
/// may hold commas, such as file names).
/// </summary>
public sealed record SettingFlag(string Flag, string Property)
{
    public bool SplitAtCommas { get; init; } = true;

    /// <summary>A value that sets a nullable property to null (<c>--parsec-lr auto</c>, <c>--train-subset 0</c>).</summary>
    public string? NullText { get; init; }

    /// <summary>What <see cref="NullText"/> means, for help ("0: all").</summary>
    public string? NullHelp { get; init; }

    /// <summary>A flag that sets a bool property that is true by default to false (<c>--untied</c> for TieWeights).</summary>
    public bool Negates { get; init; }

    /// <summary>Other setting keys this flag answers for in library messages: settings the library derives from this
    /// one (<c>CostObjectives.Costs</c> from <c>SearchConfig.Costs</c>).</summary>
    public IReadOnlyList<string> AlsoFor { get; init; } = [];

    public string Name => Flag.Split(' ')[0];

    public string? ValueName => Flag.Contains(' ') ? Flag[(Flag.IndexOf(' ') + 1)..] : null;

    public static implicit operator SettingFlag((string Flag, string Property) pair) => new(pair.Flag, pair.Property);
}

/// <summary>
/// System.CommandLine options for the [Setting] properties of <typeparamref name="TRecord"/>: the flag names come from
/// the command line, the description, range and help default from the record (its own default, read from
/// <c>new TRecord()</c>). <see cref="Bind(ParseResult)"/> builds the record: a copy of the default (or of a given
/// start) with only the properties whose flag was given set, then range-checked with <see cref="Settings.Validate"/>.
/// Value types: int, long, ulong, double, their nullable forms, bool (a flag), string, and lists of string, int or
/// double.
/// </summary>
public sealed class SettingOptions<TRecord> : IRecordOptions where TRecord : class, new()
{
    private sealed record Bound(Option Option, Settings.Info Setting, SettingFlag Flag, Func<ParseResult, object?> Value);

    private readonly IReadOnlyList<Bound> _bound;
    private readonly TRecord _defaults;

    public SettingOptions(params SettingFlag[] flags) : this(new TRecord(), flags) { }

    /// <summary>Options whose help defaults (and whose <see cref="Bind(ParseResult)"/> start) are
    /// <paramref name="defaults"/>, as a command that changes a shared record's defaults has them (train's 4 epochs).</summary>
    public SettingOptions(TRecord defaults, params SettingFlag[] flags)
    {
        _defaults = defaults;
        var settings = Settings.Of(typeof(TRecord)).ToDictionary(s => s.Property.Name);
        _bound = flags.Select(flag =>
        {
            if (!settings.TryGetValue(flag.Property, out var setting))
                throw new ArgumentException($"{Settings.KeyOf(typeof(TRecord), flag.Property)} has no [Setting] attribute.");
            var range = setting.RangeText();
            string description = range.Length > 0 ? $"{setting.Attribute.Description} ({range})" : setting.Attribute.Description;
            if (flag.NullHelp is not null) description += $" ({flag.NullHelp})";
            var (option, value) = OptionValues.Create(setting.Property.PropertyType, flag, description, setting.Property.GetValue(defaults));
            return new Bound(option, setting, flag, value);
        }).ToArray();
        Options = _bound.Select(b => b.Option).ToArray();
    }

    public IReadOnlyList<Option> Options { get; }

    public Type Record => typeof(TRecord);

    /// <summary>The default record with the given options set, range-checked.</summary>
    public TRecord Bind(ParseResult parse) => Bind(parse, _defaults);

    object IRecordOptions.Bind(ParseResult parse, object start) => Bind(parse, (TRecord)start);

    /// <summary>A copy of <paramref name="start"/> with the given options set, range-checked.</summary>
    public TRecord Bind(ParseResult parse, TRecord start)
    {
        var record = (TRecord)MemberwiseCopy.Invoke(start, null)!; // what `start with { }` does; init-only setters accept SetValue
        foreach (var bound in _bound)
            if (parse.GetResult(bound.Option) is { Implicit: false })
                bound.Setting.Property.SetValue(record, bound.Value(parse));
        Settings.Validate(record);
        return record;
    }

    /// <summary>Whether the option of <paramref name="property"/> was given on the command line.</summary>
    public bool WasGiven(ParseResult parse, string property) =>
        parse.GetResult(_bound.Single(b => b.Setting.Property.Name == property).Option) is { Implicit: false };

    /// <summary>The properties whose option was given.</summary>
    public IReadOnlyList<string> Given(ParseResult parse) =>
        _bound.Where(b => parse.GetResult(b.Option) is { Implicit: false }).Select(b => b.Setting.Property.Name).ToArray();

    public string? FlagFor(string? setting) =>
        _bound.FirstOrDefault(b => b.Setting.Key == setting || b.Flag.AlsoFor.Contains(setting))?.Option.Name;

    private static readonly MethodInfo MemberwiseCopy =
        typeof(object).GetMethod(nameof(MemberwiseClone), BindingFlags.Instance | BindingFlags.NonPublic)!;
}

/// <summary>Typed options and their values, worded as the command line words a mistake ("Option --samples needs a whole
/// number (got 'many')."). Every value that starts with "--" is refused: it is a flag, so the option before it
/// has no value.</summary>
internal static class OptionValues
{
    public static (Option Option, Func<ParseResult, object?> Value) Create(Type type, SettingFlag flag, string description, object? defaultValue) =>
        ((Option, Func<ParseResult, object?>))typeof(OptionValues).GetMethod(nameof(CreateTyped), BindingFlags.Static | BindingFlags.NonPublic)!
            .MakeGenericMethod(type).Invoke(null, [flag, description, defaultValue])!;

    private static (Option, Func<ParseResult, object?>) CreateTyped<T>(SettingFlag flag, string description, object? defaultValue)
    {
        var type = typeof(T);
        var option = new Option<T>(flag.Name) { Description = description };
        if (type == typeof(bool))
        {
            if (flag.ValueName is not null) throw new ArgumentException($"{flag.Name} is a flag: it takes no value name.");
            if (flag.Negates) return (option, parse => !(bool)(object)parse.GetValue(option)!);
            if (defaultValue is true) option.DefaultValueFactory = _ => (T)defaultValue;
            return (option, parse => parse.GetValue(option));
        }
        var element = ListElement(type);
        var scalar = element ?? Nullable.GetUnderlyingType(type) ?? type;
        if (!Parsers.ContainsKey(scalar)) throw new ArgumentException($"{flag.Name}: options of type {type.Name} are not supported.");
        option.HelpName = flag.ValueName ?? (scalar == typeof(double) ? "X" : scalar == typeof(string) ? "VALUE" : "N");
        if (flag.NullText is not null && !double.TryParse(flag.NullText, CultureInfo.InvariantCulture, out _)) option.HelpName += "|" + flag.NullText;
        if (flag.NullText is not null)
        {
            if (element is not null || Nullable.GetUnderlyingType(type) is null && type.IsValueType)
                throw new ArgumentException($"{flag.Name}: {flag.NullText} sets null, but {type.Name} is not a nullable scalar.");
            // The text itself, checked as it is parsed: a parser of a nullable value type may not return null.
            var text = new Option<string>(flag.Name) { Description = description, HelpName = option.HelpName };
            text.Validators.Add(result =>
            {
                if (result.Tokens.Count == 1 && result.Tokens[0].Value != flag.NullText)
                    Parse(result, flag.Name, scalar, result.Tokens[0].Value, flag.NullText);
            });
            if (defaultValue is not null) text.DefaultValueFactory = _ => Format(defaultValue);
            return (text, parse => parse.GetValue(text) is { } given && given != flag.NullText ? Parsers[scalar].Parse(given) : null);
        }
        if (element is null)
        {
            option.CustomParser = result => (T)Parse(result, flag.Name, scalar, result.Tokens.Single().Value)!;
            if (defaultValue is not null) option.DefaultValueFactory = _ => (T)defaultValue;
        }
        else
        {
            option.Arity = ArgumentArity.OneOrMore;
            option.CustomParser = result => (T)ParseList(result, flag, element);
            if (defaultValue is System.Collections.IEnumerable items && items.Cast<object>().Any())
                option.Description += $" [default: {string.Join(',', items.Cast<object>().Select(Format))}]";
        }
        return (option, parse => parse.GetValue(option));
    }

    /// <summary>The element type of a supported list type (T[], IReadOnlyList&lt;T&gt;), or null.</summary>
    private static Type? ListElement(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? type.GetGenericArguments()[0]
        : null;

    private static object ParseList(ArgumentResult result, SettingFlag flag, Type element)
    {
        var texts = result.Tokens.Select(t => t.Value);
        if (flag.SplitAtCommas) texts = texts.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries));
        var items = Array.CreateInstance(element, texts.Count());
        int i = 0;
        foreach (var text in texts)
        {
            if (text.Length == 0) { result.AddError($"Option {flag.Name} has an empty item."); break; }
            items.SetValue(Parse(result, flag.Name, element, text), i++);
        }
        return items;
    }

    /// <summary>The value of <paramref name="text"/>, or (after adding the error to <paramref name="result"/>) the type's default.</summary>
    private static object? Parse(SymbolResult result, string name, Type type, string text, string? nullText = null)
    {
        var (parse, needs) = Parsers[type];
        if (nullText is not null && !double.TryParse(nullText, CultureInfo.InvariantCulture, out _)) needs += $" or {nullText}";
        string? error = text.StartsWith("--", StringComparison.Ordinal) ? $"Option {name} needs a value."
            : parse(text) is { } value ? null : $"Option {name} needs {needs} (got '{text}').";
        if (error is null) return parse(text);
        result.AddError(error);
        return type.IsValueType ? Activator.CreateInstance(type) : null;
    }

    private static readonly Dictionary<Type, (Func<string, object?> Parse, string Needs)> Parsers = new()
    {
        [typeof(string)] = (text => text, "a value"),
        [typeof(int)] = (text => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null, "a whole number"),
        [typeof(long)] = (text => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null, "a whole number"),
        [typeof(ulong)] = (text => ulong.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null, "a non-negative whole number"),
        [typeof(double)] = (text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null, "a number"),
    };

    private static string Format(object value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
}
