using System.Globalization;
using System.Reflection;
using Nascent.Core;
using Nascent.Strategies;

namespace Nascent.Cli;

/// <summary>
/// The command line's names for strategy settings: each flag names one property of one options record, declared
/// once here; its description, default and range come from the record's <see cref="SettingAttribute"/>. A flag
/// applies to every chosen strategy whose options record (or a record nested in it) has that property, so
/// <c>--controller-lr</c> sets the controller of enas, enas-memory, reinforce and monas alike.
/// </summary>
public static class StrategyFlags
{
    public sealed record Flag(string Name, Type Record, string Property)
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
        new("cost-weight", typeof(MonasOptions), nameof(MonasOptions.CostWeight)),
        new("cost-scale", typeof(MonasOptions), nameof(MonasOptions.CostScale)),
        new("over-budget-reward", typeof(MonasOptions), nameof(MonasOptions.OverBudgetReward)),
        new("dpp-keep", typeof(DppOptions), nameof(DppOptions.Keep)),
        new("dpp-epochs", typeof(DppOptions), nameof(DppOptions.PredictorEpochs)),
        new("nao-seed", typeof(NaoOptions), nameof(NaoOptions.SeedArchitectures)),
        new("nao-new", typeof(NaoOptions), nameof(NaoOptions.NewPerIteration)),
        new("nao-top", typeof(NaoOptions), nameof(NaoOptions.TopK)),
        new("nao-epochs", typeof(NaoOptions), nameof(NaoOptions.Epochs)),
        new("parsec-samples", typeof(ParsecOptions), nameof(ParsecOptions.Samples)),
        new("parsec-lr", typeof(ParsecOptions), nameof(ParsecOptions.PriorLearningRate)),
        new("parsec-every", typeof(ParsecOptions), nameof(ParsecOptions.PriorEvery)),
        new("parsec-warmup", typeof(ParsecOptions), nameof(ParsecOptions.WarmupSteps)),
        new("parsec-on-validation", typeof(ParsecOptions), nameof(ParsecOptions.PriorOnValidation)),
        new("parsec-probe-every", typeof(ParsecOptions), nameof(ParsecOptions.ProbeEvery)),
        new("parsec-probe-images", typeof(ParsecOptions), nameof(ParsecOptions.ProbeImages)),
        new("prior-from", typeof(ParsecOptions), nameof(ParsecOptions.PriorFrom)),
        new("prior-weights", typeof(ParsecOptions), nameof(ParsecOptions.PriorWeights)),
        new("darts-lr", typeof(DartsOptions), nameof(DartsOptions.LearningRate)),
    ];

    /// <summary>The flags of the commands' own settings (not a strategy's), by setting key.</summary>
    private static readonly Dictionary<string, string> CommandFlags = new()
    {
        [Settings.KeyOf(typeof(Experiments.Search.SearchConfig), nameof(Experiments.Search.SearchConfig.Candidates))] = "candidates",
        [Settings.KeyOf(typeof(Experiments.Search.SearchConfig), nameof(Experiments.Search.SearchConfig.Budget))] = "budget",
        [Settings.KeyOf(typeof(Experiments.Search.SearchConfig), nameof(Experiments.Search.SearchConfig.CheckpointEvery))] = "checkpoint-every",
        [Settings.KeyOf(typeof(Experiments.Bench.BenchConfig), nameof(Experiments.Bench.BenchConfig.Budget))] = "budget",
        [Settings.KeyOf(typeof(Objectives.CostObjectives), nameof(Objectives.CostObjectives.Budget))] = "budget",
        [Settings.KeyOf(typeof(Objectives.CostObjectives), nameof(Objectives.CostObjectives.Costs))] = "cost",
        [Settings.KeyOf(typeof(Experiments.TableSettings), nameof(Experiments.TableSettings.TimeBudget))] = "time-budget",
        [Settings.KeyOf(typeof(Experiments.TableSettings), nameof(Experiments.TableSettings.Queries))] = "queries",
        [Settings.KeyOf(typeof(Experiments.Search.WeightSharingOptions), nameof(Experiments.Search.WeightSharingOptions.RankingImages))] = "ranking-images",
        [Settings.KeyOf(typeof(Experiments.Search.WeightSharingOptions), nameof(Experiments.Search.WeightSharingOptions.RewardImages))] = "reward-images",
        [Settings.KeyOf(typeof(Experiments.Search.WeightSharingOptions), nameof(Experiments.Search.WeightSharingOptions.FinalTop))] = "final-top",
        [Settings.KeyOf(typeof(InstaNasOptions), nameof(InstaNasOptions.LearningRate))] = "controller-lr",
        [Settings.KeyOf(typeof(InstaNasOptions), nameof(InstaNasOptions.Alpha))] = "insta-alpha",
        [Settings.KeyOf(typeof(InstaNasOptions), nameof(InstaNasOptions.EntropyWeight))] = "entropy-weight",
        [Settings.KeyOf(typeof(InstaNasOptions), nameof(InstaNasOptions.PositiveReward))] = "insta-pos",
        [Settings.KeyOf(typeof(InstaNasOptions), nameof(InstaNasOptions.NegativeReward))] = "insta-neg",
        [Settings.KeyOf(typeof(InstaNasOptions), nameof(InstaNasOptions.LatencyExponent))] = "insta-lat-exp",
        [Settings.KeyOf(typeof(InstaNasOptions), nameof(InstaNasOptions.UpperStart))] = "insta-upper-start",
        [Settings.KeyOf(typeof(InstaNasOptions), nameof(InstaNasOptions.UpperEnd))] = "insta-upper-end",
    };

    /// <summary>The flag of a setting key (for messages), or null.</summary>
    public static string? FlagOf(string settingKey) =>
        All.FirstOrDefault(f => f.Key == settingKey)?.Name ?? CommandFlags.GetValueOrDefault(settingKey);

    /// <summary>Reads every strategy flag given (each once).</summary>
    public static IReadOnlyDictionary<Flag, string?> Read(ArgumentReader a)
    {
        var given = new Dictionary<Flag, string?>();
        foreach (var flag in All)
        {
            if (flag.Info.PropertyType == typeof(bool)) { if (a.Flag(flag.Name)) given[flag] = null; }
            else if (a.String(flag.Name) is { } text) given[flag] = text;
        }
        return given;
    }

    /// <summary>The options of <paramref name="descriptor"/>: its defaults with the given flags applied. A flag that
    /// no record of the strategy has is one line naming the strategies it belongs to.</summary>
    public static IStrategyOptions OptionsFor(StrategyDescriptor descriptor, IReadOnlyDictionary<Flag, string?> given, bool strict)
    {
        var applied = new HashSet<Flag>();
        var options = (IStrategyOptions)Apply(descriptor.DefaultOptions, given, applied);
        var stray = given.Keys.FirstOrDefault(f => !applied.Contains(f));
        if (strict && stray is not null)
        {
            var owners = StrategyCatalog.All.Where(d => Holds(d.OptionsType, stray.Record)).Select(d => d.Name);
            throw new NascentException($"--{stray.Name} belongs to {string.Join(", ", owners)}, not to {descriptor.Name}.");
        }
        return options;
    }

    /// <summary>Whether flags of <paramref name="record"/> apply to options of type <paramref name="options"/>.</summary>
    public static bool Holds(Type options, Type record) => options == record || options.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Any(p => !p.PropertyType.IsValueType && p.PropertyType != typeof(string) && Holds(p.PropertyType, record));

    private static object Apply(object record, IReadOnlyDictionary<Flag, string?> given, HashSet<Flag> applied)
    {
        var type = record.GetType();
        var copy = type.GetMethod("<Clone>$")!.Invoke(record, null)!; // a record's own copy: init-only properties stay settable by reflection
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.PropertyType.GetMethod("<Clone>$") is not null && property.GetValue(copy) is { } nested)
                property.SetValue(copy, Apply(nested, given, applied));
        }
        foreach (var (flag, text) in given.Where(g => g.Key.Record == type))
        {
            flag.Info.SetValue(copy, Parse(flag, text));
            applied.Add(flag);
        }
        return copy;
    }

    private static object? Parse(Flag flag, string? text)
    {
        var type = Nullable.GetUnderlyingType(flag.Info.PropertyType) ?? flag.Info.PropertyType;
        if (type == typeof(bool)) return true;
        if (text is "auto" && Nullable.GetUnderlyingType(flag.Info.PropertyType) is not null) return null; // e.g. --parsec-lr auto
        object? value = type == typeof(int) ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) ? i : null
            : type == typeof(double) ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) ? d : null
            : type == typeof(string) ? text : null;
        string wanted = type == typeof(int) ? "a whole number" : Nullable.GetUnderlyingType(flag.Info.PropertyType) is null ? "a number" : "a number or auto";
        return value ?? throw new NascentException($"Option --{flag.Name} needs {wanted} (got '{text}').");
    }
}
