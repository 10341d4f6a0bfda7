namespace Nascent.Strategies;

/// <summary>How a strategy searches: one architecture at a time (trained from scratch or looked up in a table), over
/// a weight-sharing supernet, or a different architecture per input (InstaNAS).</summary>
public enum StrategyKind { OneAtATime, WeightSharing, PerInstance }

/// <summary>The options record of a strategy: its settings (with <see cref="SettingAttribute"/>s) and a check that
/// names the first setting at fault.</summary>
public interface IStrategyOptions
{
    void Validate();
}

/// <summary>A strategy with no settings of its own (random search).</summary>
public sealed record NoOptions : IStrategyOptions
{
    public void Validate() { }
}

/// <summary>What a strategy is built from besides its options: the space, the seed, and for device-aware strategies
/// the costs the search weighs and a model of each (in the order of <see cref="CostObjectives.Costs"/>).</summary>
public sealed record StrategyContext(SearchSpace Space, ulong Seed, CostObjectives Costs, IReadOnlyList<ICostModel> CostModels)
{
    public StrategyContext(SearchSpace space, ulong seed) : this(space, seed, new CostObjectives(), []) { }
}

/// <summary>
/// Everything the rest of Nascent knows of one strategy: its name and aliases, kind, the spaces it runs on, whether it
/// needs a cost, its options record (defaults, ranges and descriptions), its factory, and the files it writes into a
/// run. The catalog, validation, the command line, bench, compare, the report and the analysis read descriptors; no
/// other file lists strategy names.
/// </summary>
public abstract class StrategyDescriptor
{
    public required string Name { get; init; }
    public IReadOnlyList<string> Aliases { get; init; } = [];
    public required StrategyKind Kind { get; init; }
    /// <summary>One line for help and listings.</summary>
    public required string Summary { get; init; }
    /// <summary>The spaces it runs on; null: every space.</summary>
    public IReadOnlyList<string>? Spaces { get; init; }
    /// <summary>It trades accuracy against a device cost, so a search must name one.</summary>
    public bool NeedsCost { get; init; }
    /// <summary>It weighs the costs of candidates it never trains (DPP-Net's selection), so a latency cost needs a
    /// latency table.</summary>
    public bool PricesUntrainedCandidates { get; init; }
    /// <summary>Files it writes into a run besides the common ones (distribution.json, darts.json, ...).</summary>
    public IReadOnlyList<string> Artifacts { get; init; } = [];
    /// <summary>It learns a distribution over architectures whose entropy the report plots.</summary>
    public bool LearnsDistribution { get; init; }
    /// <summary>Its strategy.json holds an LSTM controller whose hidden states <c>analyze controller</c> reads.</summary>
    public bool HasAnalysableController { get; init; }

    public abstract Type OptionsType { get; }
    /// <summary>The defaults where no space is known (help, listings).</summary>
    public abstract IStrategyOptions DefaultOptions { get; }
    /// <summary>The defaults on <paramref name="space"/>: the official settings of that space where the strategy's
    /// authors give some (ENAS's controller), else <see cref="DefaultOptions"/>.</summary>
    public abstract IStrategyOptions DefaultOptionsFor(string space);

    public bool Answers(string name) => name == Name || Aliases.Contains(name);

    public bool RunsOn(string space) => Spaces?.Contains(space) ?? true;

    /// <summary>Builds the strategy; <paramref name="options"/> must be of <see cref="OptionsType"/> (null: the
    /// defaults). The options are checked first.</summary>
    public ISearchStrategy Create(StrategyContext context, IStrategyOptions? options = null)
    {
        options ??= DefaultOptionsFor(context.Space.Name);
        if (options.GetType() != OptionsType)
            throw new ArgumentException($"Strategy {Name} takes {OptionsType.Name}, not {options.GetType().Name}.", nameof(options));
        if (!RunsOn(context.Space.Name))
            throw new NascentException($"Strategy {Name} is not defined on the {context.Space.Name} space; it runs on {SpacesText}.");
        if (NeedsCost) context.Costs.Validate();
        options.Validate();
        return Build(context, options);
    }

    public string SpacesText => Spaces is null ? "every space" : string.Join(", ", Spaces);

    protected abstract ISearchStrategy Build(StrategyContext context, IStrategyOptions options);
}

/// <summary>A descriptor whose options are a <typeparamref name="TOptions"/> record.</summary>
public sealed class StrategyDescriptor<TOptions> : StrategyDescriptor where TOptions : class, IStrategyOptions, new()
{
    /// <summary>Builds the strategy from checked options; null for a strategy with an experiment of its own
    /// (<see cref="StrategyKind.PerInstance"/>).</summary>
    public Func<StrategyContext, TOptions, ISearchStrategy>? Factory { get; init; }
    public TOptions Defaults { get; init; } = new();
    /// <summary>Defaults that depend on the space (its name); null: <see cref="Defaults"/> on every space.</summary>
    public Func<string, TOptions>? DefaultsForSpace { get; init; }

    public override Type OptionsType => typeof(TOptions);
    public override IStrategyOptions DefaultOptions => Defaults;
    public override IStrategyOptions DefaultOptionsFor(string space) => DefaultsForSpace?.Invoke(space) ?? Defaults;

    protected override ISearchStrategy Build(StrategyContext context, IStrategyOptions options) =>
        (Factory ?? throw new NascentException($"Strategy {Name} runs as its own experiment, not through ask and tell."))(context, (TOptions)options);
}
