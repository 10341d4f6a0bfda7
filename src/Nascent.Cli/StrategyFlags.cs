using System.Reflection;

namespace Nascent.Cli;

/// <summary>
/// The command line's names for strategy settings: each flag names one property of one options record, declared
/// once here; its description, default and range come from the record's <see cref="SettingAttribute"/>. A flag
/// applies to every chosen strategy whose options record (or a record nested in it) has that property, so
/// <c>--controller-lr</c> sets the controller of enas, enas-memory, reinforce and monas alike.
/// </summary>
public static class StrategyFlags
{
    public sealed record Flag(string Name, Type Record, string Property, string? ValueName = null)
    {
        public PropertyInfo Info => Record.GetProperty(Property)!;
        public SettingAttribute Setting => Info.GetCustomAttribute<SettingAttribute>()!;
        public string Key => Settings.KeyOf(Record, Property);
    }

    public static IReadOnlyList<Flag> All { get; } =
    [
        new("population", typeof(RegularizedEvolutionOptions), nameof(RegularizedEvolutionOptions.PopulationSize)),
        new("sample-size", typeof(RegularizedEvolutionOptions), nameof(RegularizedEvolutionOptions.SampleSize)),
        new("controller-steps", typeof(ControllerOptions), nameof(ControllerOptions.UpdatesPerEpoch)),
        new("controller-samples", typeof(ControllerOptions), nameof(ControllerOptions.SamplesPerUpdate)),
        new("controller-lr", typeof(ControllerOptions), nameof(ControllerOptions.LearningRate)),
        new("entropy-weight", typeof(ControllerOptions), nameof(ControllerOptions.EntropyWeight)),
        new("lstm-size", typeof(ControllerOptions), nameof(ControllerOptions.LstmSize)),
        new("memory-size", typeof(MemoryBufferOptions), nameof(MemoryBufferOptions.Size)),
        new("memory-replays", typeof(MemoryBufferOptions), nameof(MemoryBufferOptions.Replays)),
        new("memory-aux-weight", typeof(MemoryBufferOptions), nameof(MemoryBufferOptions.AuxiliaryWeight)),
        new("cost-weight", typeof(MonasOptions), nameof(MonasOptions.CostWeight), "W"),
        new("cost-scale", typeof(MonasOptions), nameof(MonasOptions.CostScale)),
        new("over-budget-reward", typeof(MonasOptions), nameof(MonasOptions.OverBudgetReward)),
        new("dpp-keep", typeof(DppOptions), nameof(DppOptions.Keep), "K"),
        new("dpp-epochs", typeof(DppOptions), nameof(DppOptions.PredictorEpochs)),
        new("nao-seed", typeof(NaoOptions), nameof(NaoOptions.SeedArchitectures)),
        new("nao-new", typeof(NaoOptions), nameof(NaoOptions.NewPerIteration)),
        new("nao-top", typeof(NaoOptions), nameof(NaoOptions.TopK)),
        new("nao-epochs", typeof(NaoOptions), nameof(NaoOptions.Epochs)),
        new("parsec-samples", typeof(ParsecOptions), nameof(ParsecOptions.Samples), "K"),
        new("parsec-lr", typeof(ParsecOptions), nameof(ParsecOptions.PriorLearningRate)),
        new("parsec-every", typeof(ParsecOptions), nameof(ParsecOptions.PriorEvery)),
        new("parsec-warmup", typeof(ParsecOptions), nameof(ParsecOptions.WarmupSteps)),
        new("parsec-on-validation", typeof(ParsecOptions), nameof(ParsecOptions.PriorOnValidation)),
        new("parsec-probe-every", typeof(ParsecOptions), nameof(ParsecOptions.ProbeEvery)),
        new("parsec-probe-images", typeof(ParsecOptions), nameof(ParsecOptions.ProbeImages)),
        new("prior-from", typeof(ParsecOptions), nameof(ParsecOptions.PriorFrom), "RUN_DIR"),
        new("prior-weights", typeof(ParsecOptions), nameof(ParsecOptions.PriorWeights)),
        new("darts-lr", typeof(DartsOptions), nameof(DartsOptions.LearningRate)),
    ];

    /// <summary>The options of every flag in <see cref="All"/>, for a command that runs strategies.</summary>
    public static StrategyOptionFlags Options() => new(All);

    /// <summary>Whether flags of <paramref name="record"/> apply to options of type <paramref name="options"/>.</summary>
    public static bool Holds(Type options, Type record) => options == record || options.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Any(p => !p.PropertyType.IsValueType && p.PropertyType != typeof(string) && Holds(p.PropertyType, record));

    /// <summary>The strategies whose options hold <paramref name="record"/>.</summary>
    public static IEnumerable<StrategyDescriptor> Owners(Type record) => StrategyCatalog.All.Where(d => Holds(d.OptionsType, record));
}

/// <summary>
/// System.CommandLine options for <see cref="StrategyFlags.All"/>: one <see cref="SettingOptions{TRecord}"/> per options
/// record (description, range and default from its [Setting]s; a nullable number also takes <c>auto</c>, its default),
/// each description led by the strategies it applies to. <see cref="OptionsFor"/> applies the given ones to a strategy's
/// options record and the records nested in it.
/// </summary>
public sealed class StrategyOptionFlags : ISettingOptions
{
    private readonly IReadOnlyList<StrategyFlags.Flag> _flags;
    private readonly IReadOnlyList<IRecordOptions> _records;

    internal StrategyOptionFlags(IReadOnlyList<StrategyFlags.Flag> flags)
    {
        _flags = flags;
        _records = flags.GroupBy(f => f.Record).Select(group => (IRecordOptions)Activator.CreateInstance(
            typeof(SettingOptions<>).MakeGenericType(group.Key), [group.Select(SettingFlagOf).ToArray()])!).ToArray();
        foreach (var record in _records)
        {
            string owners = string.Join(", ", StrategyFlags.Owners(record.Record).Select(d => d.Name));
            foreach (var option in record.Options) option.Description = $"{owners}: {option.Description}";
        }
        Options = _records.SelectMany(r => r.Options).ToArray();
    }

    public IReadOnlyList<Option> Options { get; }

    public string? FlagFor(string? setting) => _records.Select(r => r.FlagFor(setting)).FirstOrDefault(f => f is not null);

    /// <summary>The strategy flags given on the command line.</summary>
    public IReadOnlyList<StrategyFlags.Flag> Given(ParseResult parse)
    {
        var given = _records.SelectMany(r => r.Given(parse).Select(p => (r.Record, p))).ToHashSet();
        return _flags.Where(f => given.Contains((f.Record, f.Property))).ToArray();
    }

    /// <summary>The options of <paramref name="descriptor"/>: its defaults on <paramref name="space"/> with the given
    /// flags applied. With <paramref name="strict"/>, a flag that no record of the strategy has is one line naming the
    /// strategies it belongs to.</summary>
    public IStrategyOptions OptionsFor(StrategyDescriptor descriptor, string space, ParseResult parse, bool strict)
    {
        var applied = new HashSet<Type>();
        var options = (IStrategyOptions)Apply(descriptor.DefaultOptionsFor(space), parse, applied);
        var stray = Given(parse).FirstOrDefault(f => !applied.Contains(f.Record));
        if (strict && stray is not null)
            throw new NascentException($"--{stray.Name} belongs to {string.Join(", ", StrategyFlags.Owners(stray.Record).Select(d => d.Name))}, not to {descriptor.Name}.");
        return options;
    }

    /// <summary>Each named strategy's options: its defaults with the strategy flags given that apply to it; a flag
    /// that applies to none of them is a mistake.</summary>
    public IReadOnlyDictionary<string, IStrategyOptions> OptionsOf(IEnumerable<string> strategies, string space, ParseResult parse)
    {
        var descriptors = strategies.Select(StrategyCatalog.Get).ToArray();
        var stray = Given(parse).FirstOrDefault(f => !descriptors.Any(d => StrategyFlags.Holds(d.OptionsType, f.Record)));
        if (stray is not null)
            throw new NascentException($"--{stray.Name} applies to none of {string.Join(", ", descriptors.Select(d => d.Name))}.");
        return descriptors.DistinctBy(d => d.Name).ToDictionary(d => d.Name, d => OptionsFor(d, space, parse, strict: false));
    }

    private static SettingFlag SettingFlagOf(StrategyFlags.Flag flag)
    {
        var type = flag.Info.PropertyType;
        string name = type == typeof(bool) ? $"--{flag.Name}" : $"--{flag.Name} {flag.ValueName ?? (Nullable.GetUnderlyingType(type) ?? type) switch
        {
            var t when t == typeof(double) => "X",
            var t when t == typeof(string) => "VALUE",
            _ => "N",
        }}";
        return new SettingFlag(name, flag.Property) { NullText = Nullable.GetUnderlyingType(type) is not null ? "auto" : null };
    }

    private object Apply(object record, ParseResult parse, HashSet<Type> applied)
    {
        var type = record.GetType();
        var copy = type.GetMethod("<Clone>$")!.Invoke(record, null)!; // a record's own copy: init-only properties stay settable by reflection
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.PropertyType.GetMethod("<Clone>$") is not null && property.GetValue(copy) is { } nested)
                property.SetValue(copy, Apply(nested, parse, applied));
        }
        if (_records.FirstOrDefault(r => r.Record == type) is not { } options) return copy;
        applied.Add(type);
        return options.Bind(parse, copy);
    }
}
