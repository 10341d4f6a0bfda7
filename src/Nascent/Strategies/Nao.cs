namespace Nascent.Strategies;

/// <summary>
/// NAO, Neural Architecture Optimization (Luo et al. 2018; renqianluo/NAO_pytorch), in rounds. The first round is
/// <see cref="NaoOptions.SeedArchitectures"/> random architectures. When every architecture of a round has been told,
/// the encoder-predictor-decoder (<see cref="NaoModel"/>) trains on the results, performance scaled to [0, 1] by the
/// minimum and maximum seen; the best <see cref="NaoOptions.TopK"/> are encoded, moved along the predictor's gradient
/// with step size η = 1, 2, ... and decoded, until <see cref="NaoOptions.NewPerIteration"/> architectures not seen
/// before have come out; they are the next round.
/// Without weight sharing every architecture is evaluated once and the model trains on all results so far. With
/// weight sharing (NAO-WS, <c>nao-ws</c>) the round is a pool that the supernet trains on (uniformly) and that is
/// evaluated afresh on the current shared weights each round; the model trains on that round's results, and the new
/// architectures replace the pool's worst, as NAO-WS does. The search's result comes from the pool as last evaluated
/// (<see cref="RankingCandidates"/>), never from architectures decoded after it.
/// If even the largest step size decodes too few new architectures, random unseen ones fill the round (counted in
/// <see cref="RandomFills"/>): the runner asks for a budget and must get it.
/// </summary>
public sealed class Nao : IWeightSharingStrategy, IPerformancePredictor
{
    public static StrategyDescriptor Descriptor { get; } = new StrategyDescriptor<NaoOptions>
    {
        Name = "nao", Kind = StrategyKind.OneAtATime,
        Summary = "NAO: encoder, performance predictor and decoder; gradient steps in the embedding",
        Factory = (c, o) => new Nao(c.Space, c.Seed, o),
    };

    public static StrategyDescriptor WeightSharingDescriptor { get; } = new StrategyDescriptor<NaoOptions>
    {
        Name = "nao-ws", Kind = StrategyKind.WeightSharing, Summary = "NAO with weight sharing: its pool scored on the supernet",
        Factory = (c, o) => new Nao(c.Space, c.Seed, o, weightSharing: true),
    };

    private readonly NaoModel _model;
    private readonly bool _weightSharing;
    private SeededRandom _random;
    private List<Architecture> _round = [];
    private readonly Dictionary<Architecture, double?> _roundResults = [];   // null: failed
    private readonly Dictionary<Architecture, double> _history = [];          // every successful result (latest value)
    private readonly HashSet<Architecture> _seen = [];
    private int _next;

    public Nao(SearchSpace space, ulong seed, NaoOptions? options = null, bool weightSharing = false)
    {
        Options = options ?? new NaoOptions();
        Options.Validate();
        Space = space;
        _weightSharing = weightSharing;
        _random = new SeededRandom(seed);
        _model = new NaoModel(space, Options, _random);
        Name = (weightSharing ? WeightSharingDescriptor : Descriptor).Name;
        StartRound(Space.SampleUnseen(_random, Options.SeedArchitectures, _seen.Contains));
    }

    public string Name { get; }
    public SearchSpace Space { get; }
    public NaoOptions Options { get; }
    public NaoModel Model => _model;
    /// <summary>Rounds completed (the model has trained this many times).</summary>
    public int Iterations { get; private set; }
    /// <summary>Architectures added at random because decoding gave too few new ones.</summary>
    public int RandomFills { get; private set; }
    /// <summary>The model's training losses after its last training.</summary>
    public (double Mse, double CrossEntropy) LastLosses { get; private set; } = (double.NaN, double.NaN);
    /// <summary>The architectures of the current round (with weight sharing: the pool).</summary>
    public IReadOnlyList<Architecture> Round => _round;

    /// <summary>With weight sharing: the pool's architectures that the last evaluation scored, best first (NAO-WS stops
    /// after evaluating its pool and re-ranks that pool's top, NAO_V1/train_search.py:696-717 and 808-810); the pool itself
    /// if nothing was scored yet. Without weight sharing: null (the loop asks).</summary>
    public IReadOnlyList<Architecture>? RankingCandidates
    {
        get
        {
            if (!_weightSharing) return null;
            var scored = _round.Where(a => _roundResults.GetValueOrDefault(a) is not null)
                .OrderByDescending(a => _roundResults[a]!.Value).ToList();
            return scored.Count > 0 ? scored : _round;
        }
    }

    public Architecture NextTrainingPath() => _round[_random.Next(_round.Count)];

    /// <summary>The whole pool, re-evaluated on the current shared weights.</summary>
    public int EvaluationsPerEpoch => _round.Count;

    public Architecture Ask()
    {
        if (_next >= _round.Count && _round.All(_roundResults.ContainsKey)) NextRound();
        return _round[_next++ % _round.Count];
    }

    public void Tell(Trial trial)
    {
        double? value = trial.Status == TrialStatus.Done && trial.Metrics is not null && double.IsFinite(trial.Metrics.Accuracy)
            ? trial.Metrics.Accuracy : null;
        _seen.Add(trial.Architecture);
        if (value is double v) _history[trial.Architecture] = v;
        if (_round.Contains(trial.Architecture)) _roundResults[trial.Architecture] = value;
    }

    public double[] PredictPerformance(IReadOnlyList<Architecture> architectures) => _model.PredictArchitectures(architectures);

    private void NextRound()
    {
        var results = _weightSharing
            ? _roundResults.Where(r => r.Value is not null).Select(r => (Architecture: r.Key, Value: r.Value!.Value)).ToList()
            : _history.Select(r => (Architecture: r.Key, Value: r.Value)).ToList();
        var candidates = new List<Architecture>();
        if (results.Count > 0)
        {
            double min = results.Min(r => r.Value), max = results.Max(r => r.Value);
            var targets = results.Select(r => max > min ? (r.Value - min) / (max - min) : 0.5).ToList();
            LastLosses = _model.Train(results.Select(r => r.Architecture).ToList(), targets, _random);
            var top = results.OrderByDescending(r => r.Value).Take(Options.TopK).Select(r => r.Architecture).ToList();
            var exclude = _weightSharing ? _round.ToHashSet() : _seen;
            foreach (var improvement in _model.Improve(top, Enumerable.Range(1, Options.MaxStepSize).Select(step => (double)step)))
            {
                foreach (var a in improvement.Architectures)
                    if (candidates.Count < Options.NewPerIteration && !exclude.Contains(a) && !candidates.Contains(a)) candidates.Add(a);
                if (candidates.Count >= Options.NewPerIteration) break;
            }
        }
        Iterations++;
        int missing = Options.NewPerIteration - candidates.Count;
        if (missing > 0)
        {
            var fill = Space.SampleUnseen(_random, missing, a => _seen.Contains(a) || candidates.Contains(a));
            RandomFills += fill.Count;
            candidates.AddRange(fill);
        }
        if (_weightSharing)
        {
            var keep = _round.OrderByDescending(a => _roundResults.GetValueOrDefault(a) ?? double.NegativeInfinity)
                .Take(Math.Max(0, _round.Count - candidates.Count));
            candidates = keep.Concat(candidates).ToList();
        }
        StartRound(candidates);
    }

    private void StartRound(List<Architecture> round)
    {
        _round = round;
        _roundResults.Clear();
        _next = 0;
    }

    public JsonObject ExportState()
    {
        using var weights = new MemoryStream();
        _model.save(new BinaryWriter(weights));
        static JsonArray Architectures(IEnumerable<Architecture> list) => new(list.Select(a => (JsonNode)a.ToString()).ToArray());
        return new JsonObject
        {
            ["random"] = _random.ToJson(),
            ["model"] = Convert.ToBase64String(weights.ToArray()),
            ["round"] = Architectures(_round),
            ["round_results"] = new JsonArray(_roundResults.Select(r => (JsonNode)new JsonObject { ["arch"] = r.Key.ToString(), ["value"] = r.Value }).ToArray()),
            ["history"] = new JsonArray(_history.Select(r => (JsonNode)new JsonObject { ["arch"] = r.Key.ToString(), ["value"] = r.Value }).ToArray()),
            ["seen"] = Architectures(_seen),
            ["next"] = _next,
            ["iterations"] = Iterations,
            ["random_fills"] = RandomFills,
        };
    }

    public void ImportState(JsonObject state)
    {
        _random = SeededRandom.FromJson(state["random"]!);
        using (var weights = new MemoryStream(Convert.FromBase64String(state["model"]!.GetValue<string>())))
            _model.load(new BinaryReader(weights));
        StartRound(state["round"]!.AsArray().Select(n => Space.Parse(n!.GetValue<string>())).ToList());
        foreach (var r in state["round_results"]!.AsArray())
            _roundResults[Space.Parse(r!["arch"]!.GetValue<string>())] = r["value"]?.GetValue<double>();
        _history.Clear();
        foreach (var r in state["history"]!.AsArray()) _history[Space.Parse(r!["arch"]!.GetValue<string>())] = r["value"]!.GetValue<double>();
        _seen.Clear();
        foreach (var a in state["seen"]!.AsArray()) _seen.Add(Space.Parse(a!.GetValue<string>()));
        _next = state["next"]!.GetValue<int>();
        Iterations = state["iterations"]!.GetValue<int>();
        RandomFills = state["random_fills"]!.GetValue<int>();
    }

    public void Dispose() => _model.Dispose();
}
