namespace Nascent.Strategies;

/// <summary>
/// Regularized (aging) evolution, Real et al. 2019, Algorithm 1, in ask/tell form. The first
/// <see cref="RegularizedEvolutionOptions.PopulationSize"/> asks are uniform samples; after that each ask draws
/// <see cref="RegularizedEvolutionOptions.SampleSize"/> members of the population uniformly with replacement, takes
/// the fittest as parent and mutates one of its decisions (<see cref="SearchSpace.Mutate"/>). Each told trial joins
/// the population as its youngest member and the oldest one leaves once the population is full: age, not fitness,
/// decides who dies. A failed trial joins with the worst fitness and ages out like any other. As in the paper (and
/// NAS-Bench-201's implementation) children that repeat an earlier architecture are not filtered out.
/// </summary>
public sealed class RegularizedEvolution : ISearchStrategy
{
    public static StrategyDescriptor Descriptor { get; } = new StrategyDescriptor<RegularizedEvolutionOptions>
    {
        Name = "rea", Kind = StrategyKind.OneAtATime, Summary = "regularized (aging) evolution",
        Factory = (c, o) => new RegularizedEvolution(c.Space, c.Seed, o),
    };

    private SeededRandom _random;
    private readonly LinkedList<Member> _population = new(); // oldest first
    private int _initialAsked;

    public RegularizedEvolution(SearchSpace space, ulong seed, RegularizedEvolutionOptions? options = null)
    {
        Options = options ?? new RegularizedEvolutionOptions();
        Options.Validate();
        Space = space;
        _random = new SeededRandom(seed);
    }

    public string Name => Descriptor.Name;
    public SearchSpace Space { get; }
    public RegularizedEvolutionOptions Options { get; }

    /// <summary>The current population, oldest first.</summary>
    public IReadOnlyList<(Architecture Architecture, double Fitness)> Population =>
        _population.Select(m => (m.Architecture, m.Fitness)).ToArray();

    public Architecture Ask()
    {
        // Until the population has been seeded (or while none of the seeds has been told yet), sample uniformly.
        if (_initialAsked < Options.PopulationSize || _population.Count == 0)
        {
            _initialAsked++;
            return Space.Sample(_random);
        }
        var members = _population.ToArray();
        Member parent = members[_random.Next(members.Length)];
        for (int i = 1; i < Options.SampleSize; i++)
        {
            var candidate = members[_random.Next(members.Length)];
            if (candidate.Fitness > parent.Fitness) parent = candidate;
        }
        return Space.Mutate(parent.Architecture, _random);
    }

    public void Tell(Trial trial)
    {
        _population.AddLast(new Member(trial.Architecture, trial.Objective));
        while (_population.Count > Options.PopulationSize) _population.RemoveFirst();
    }

    /// <summary>Holds no native resources.</summary>
    public void Dispose() { }

    public JsonObject ExportState() => new()
    {
        ["random"] = _random.ToJson(),
        ["initial_asked"] = _initialAsked,
        ["population"] = new JsonArray(_population.Select(m => (JsonNode)new JsonObject
        {
            ["arch"] = m.Architecture.ToString(),
            // A failed member's fitness (-infinity) has no JSON number: null stands for it.
            ["fitness"] = double.IsFinite(m.Fitness) ? m.Fitness : null,
        }).ToArray()),
    };

    public void ImportState(JsonObject state)
    {
        _random = SeededRandom.FromJson(state["random"]!);
        _initialAsked = state["initial_asked"]!.GetValue<int>();
        _population.Clear();
        foreach (var node in state["population"]!.AsArray())
        {
            var member = node!.AsObject();
            _population.AddLast(new Member(Space.Parse(member["arch"]!.GetValue<string>()),
                member["fitness"] is { } fitness ? fitness.GetValue<double>() : double.NegativeInfinity));
        }
    }

    private sealed record Member(Architecture Architecture, double Fitness);
}

/// <summary>Options of <see cref="RegularizedEvolution"/>. Defaults are NAS-Bench-201's REA settings
/// (population 10, sample size 3).</summary>
public sealed record RegularizedEvolutionOptions : IStrategyOptions
{
    /// <summary>P: members kept alive; also the number of initial uniform samples.</summary>
    [Setting("P: members kept alive (and initial uniform samples)", Min = 2)]
    public int PopulationSize { get; init; } = 10;

    /// <summary>S: members drawn (with replacement) for each tournament; the fittest becomes the parent.</summary>
    [Setting("S: members drawn for each tournament", Min = 1)]
    public int SampleSize { get; init; } = 3;

    public void Validate()
    {
        Settings.Validate(this);
        if (SampleSize > PopulationSize)
            throw NascentException.ForSetting(Settings.KeyOf(GetType(), nameof(SampleSize)),
                $"{{setting}} must not exceed the population size {PopulationSize} (got {SampleSize}).");
    }
}
