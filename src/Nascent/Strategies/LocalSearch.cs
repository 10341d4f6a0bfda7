namespace Nascent.Strategies;

/// <summary>
/// Local search (White, Zela, Ru, Liu and Hutter, "Exploring the Loss Landscape in Neural Architecture Search", UAI
/// 2021, Algorithm 1), as NASLib runs it (automl/NASLib, naslib/optimizers/discrete/ls/optimizer.py, new_epoch): start
/// from the best of <see cref="LocalSearchOptions.InitialSamples"/> random architectures; evaluate every one-edit
/// neighbour of the current architecture, in random order; move to the best of them when it beats the current one,
/// else (a local optimum) restart from one new random architecture. As in NASLib, neighbours evaluated before are
/// evaluated again (each costs a query), and the answer is the best architecture of the whole run.
/// </summary>
public sealed class LocalSearch : ISearchStrategy
{
    public static StrategyDescriptor Descriptor { get; } = new StrategyDescriptor<LocalSearchOptions>
    {
        Name = "ls", Kind = StrategyKind.OneAtATime, Summary = "local search: all one-edit neighbours, move to the best, restart at a local optimum",
        Factory = (c, o) => new LocalSearch(c.Space, c.Seed, o),
    };

    private SeededRandom _random;
    private int _startsToAsk, _startsToTell;
    private Member? _current, _best; // the architecture whose neighbourhood is searched; the best seen in this round
    private Queue<Architecture> _neighbours = new();

    public LocalSearch(SearchSpace space, ulong seed, LocalSearchOptions? options = null)
    {
        Options = options ?? new LocalSearchOptions();
        Options.Validate();
        Space = space;
        _random = new SeededRandom(seed);
        _startsToAsk = _startsToTell = Options.InitialSamples;
    }

    public string Name => Descriptor.Name;
    public SearchSpace Space { get; }
    public LocalSearchOptions Options { get; }

    /// <summary>Restarts so far: local optima reached.</summary>
    public int Restarts { get; private set; }

    public Architecture Ask()
    {
        if (_startsToAsk > 0)
        {
            _startsToAsk--;
            return Space.Sample(_random);
        }
        return _neighbours.TryDequeue(out var next) ? next : Space.Sample(_random); // a space without neighbours
    }

    public void Tell(Trial trial)
    {
        var told = new Member(trial.Architecture, trial.Objective);
        if (_best is null || told.Fitness > _best.Fitness) _best = told;
        if (_startsToTell > 0 && --_startsToTell > 0) return; // more starting samples to come
        if (_startsToTell == 0 && _current is null) { MoveTo(_best); return; }
        if (_neighbours.Count > 0) return;
        if (_best.Fitness > _current!.Fitness) MoveTo(_best);
        else Restart();
    }

    private void MoveTo(Member center)
    {
        _current = center;
        var neighbours = Neighbours(center.Architecture);
        _neighbours = new Queue<Architecture>(_random.Permutation(neighbours.Count).Select(i => neighbours[i]));
        if (_neighbours.Count == 0) Restart();
    }

    private void Restart()
    {
        Restarts++;
        _current = _best = null;
        _startsToAsk = _startsToTell = 1;
    }

    /// <summary>Every architecture that differs in exactly one decision (later decisions unchanged and still allowed).</summary>
    private List<Architecture> Neighbours(Architecture center)
    {
        var result = new List<Architecture>();
        var choices = center.Choices.ToArray();
        for (int d = 0; d < choices.Length; d++)
            foreach (int option in Space.AllowedOptions(d, new ArraySegment<int>(choices, 0, d)))
            {
                if (option == center.Choices[d]) continue;
                choices[d] = option;
                bool valid = Enumerable.Range(d + 1, choices.Length - d - 1).All(i => Space.IsAllowed(i, choices[i], new ArraySegment<int>(choices, 0, i)));
                if (valid) result.Add(Space.Create(choices));
                choices[d] = center.Choices[d];
            }
        return result;
    }

    public void Dispose() { }

    public JsonObject ExportState() => new()
    {
        ["random"] = _random.ToJson(),
        ["starts_to_ask"] = _startsToAsk,
        ["starts_to_tell"] = _startsToTell,
        ["current"] = _current?.ToJson(),
        ["best"] = _best?.ToJson(),
        ["neighbours"] = new JsonArray(_neighbours.Select(a => (JsonNode)a.ToString()).ToArray()),
        ["restarts"] = Restarts,
    };

    public void ImportState(JsonObject state)
    {
        _random = SeededRandom.FromJson(state["random"]!);
        _startsToAsk = state["starts_to_ask"]!.GetValue<int>();
        _startsToTell = state["starts_to_tell"]!.GetValue<int>();
        _current = Member.FromJson(state["current"], Space);
        _best = Member.FromJson(state["best"], Space);
        _neighbours = new Queue<Architecture>(state["neighbours"]!.AsArray().Select(n => Space.Parse(n!.GetValue<string>())));
        Restarts = state["restarts"]!.GetValue<int>();
    }

    private sealed record Member(Architecture Architecture, double Fitness)
    {
        public JsonObject ToJson() => new() { ["arch"] = Architecture.ToString(), ["fitness"] = double.IsFinite(Fitness) ? Fitness : null };

        public static Member? FromJson(JsonNode? json, SearchSpace space) => json is null ? null
            : new(space.Parse(json["arch"]!.GetValue<string>()), json["fitness"]?.GetValue<double>() ?? double.NegativeInfinity);
    }
}

/// <summary>Options of <see cref="LocalSearch"/>.</summary>
public sealed record LocalSearchOptions : IStrategyOptions
{
    /// <summary>Random architectures evaluated before the first move; the best is the first centre. 1 as in the paper's
    /// Algorithm 1 ("pick an architecture uniformly at random"); NASLib reads it from config.search.num_init.</summary>
    [Setting("random architectures evaluated before the first move", Min = 1)]
    public int InitialSamples { get; init; } = 1;

    public void Validate() => Settings.Validate(this);
}
