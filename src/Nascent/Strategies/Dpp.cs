namespace Nascent.Strategies;

/// <summary>
/// DPP-Net (Dong et al. 2018): progressive search for Pareto-optimal architectures. Cells grow one block per stage
/// (<see cref="SearchSpace.ProgressiveBlocks"/>): the first stage evaluates the one-block cells; each later stage
/// expands every cell the stage before evaluated by every choice of the next block, scores the expansions with an LSTM
/// accuracy predictor fitted to every architecture evaluated so far, and evaluates the K expansions that NSGA-II's
/// selection keeps on (predicted accuracy, device costs) (<see cref="ParetoSelection"/>) — where PNAS keeps the K of
/// highest predicted accuracy. Device costs come from <see cref="ICostModel"/>s, known without training. Once the
/// cells are full grown, further asks take the next K from the remaining expansions of the last stage, the predictor
/// refitted each time; when those run out, unseen random architectures.
/// </summary>
public sealed class Dpp : ISearchStrategy, IPerformancePredictor, IDisposable
{
    public static StrategyDescriptor Descriptor { get; } = new StrategyDescriptor<DppOptions>
    {
        Name = "dpp", Kind = StrategyKind.OneAtATime, NeedsCost = true, PricesUntrainedCandidates = true, Spaces = ["nb201", "enas-micro"],
        Summary = "DPP-Net: progressive search with a recurrent accuracy predictor and Pareto selection",
        Factory = (c, o) => new Dpp(c.Space, c.Seed, o, c.CostModels),
    };

    private readonly IReadOnlyList<IReadOnlyList<int>> _blocks;
    private readonly IReadOnlyList<ICostModel> _costs;
    private readonly Objective[] _selectionObjectives;
    private SeededRandom _random;
    private LstmAccuracyPredictor? _predictor;
    private readonly Queue<Architecture> _queue = new();
    private readonly HashSet<Architecture> _asked = [];
    private readonly Dictionary<Architecture, double?> _results = [];
    private List<Architecture> _stageMembers = [];
    private List<Architecture> _pool = [];

    public Dpp(SearchSpace space, ulong seed, DppOptions options, IReadOnlyList<ICostModel> costs)
    {
        options.Validate();
        _blocks = space.ProgressiveBlocks
            ?? throw new NascentException($"Strategy dpp grows cells block by block, and the {space.Name} space has no blocks; use --space nb201.");
        if (costs.Count == 0)
            throw new NascentException("Strategy dpp needs a device cost of its candidates: name one with --cost (latency, params, flops or a table column).");
        Space = space;
        Options = options;
        _costs = costs;
        _selectionObjectives = costs.Select(c => new CostMetric(c.Name).Objective).Prepend(Objective.Accuracy).ToArray();
        _random = new SeededRandom(seed);
    }

    public string Name => Descriptor.Name;
    public SearchSpace Space { get; }
    public DppOptions Options { get; }

    /// <summary>Blocks grown so far (0 before the first ask).</summary>
    public int Stage { get; private set; }

    /// <summary>Selections made after the cells were full grown.</summary>
    public int FinalRounds { get; private set; }

    public Architecture Ask()
    {
        if (_queue.Count == 0) Advance();
        var next = _queue.Dequeue();
        _asked.Add(next);
        _stageMembers.Add(next);
        return next;
    }

    public void Tell(Trial trial) =>
        _results[trial.Architecture] = trial.Status == TrialStatus.Done && trial.Metrics is { } m && double.IsFinite(m.Accuracy)
            ? m.Accuracy : null;

    /// <summary>The last fitted predictor's accuracy in [0, 1] (0.5 before any fit).</summary>
    public double[] PredictPerformance(IReadOnlyList<Architecture> architectures) =>
        _predictor?.Predict(architectures) ?? architectures.Select(_ => 0.5).ToArray();

    private void Advance()
    {
        if (Stage == 0)
        {
            Stage = 1;
            var cells = Expand([Space.Create(new int[Space.Decisions.Count])], 1);
            Enqueue(cells.Count <= Options.Keep ? cells : _random.Permutation(cells.Count).Take(Options.Keep).Select(i => cells[i]).ToList());
            return;
        }
        if (Stage < _blocks.Count)
        {
            var parents = _stageMembers;
            Stage++;
            _pool = Expand(parents, Stage);
        }
        else FinalRounds++;
        _pool.RemoveAll(_asked.Contains);
        Enqueue(_pool.Count > 0 ? SelectFromPool() : Space.SampleUnseen(_random, Options.Keep, _asked.Contains));
    }

    private void Enqueue(IEnumerable<Architecture> architectures)
    {
        _stageMembers = [];
        foreach (var a in architectures) _queue.Enqueue(a);
    }

    /// <summary>Every parent with every choice of block <paramref name="stage"/> - 1, grown to that many blocks,
    /// without repeats, in parent then choice order.</summary>
    private List<Architecture> Expand(IReadOnlyList<Architecture> parents, int stage)
    {
        var block = _blocks[stage - 1];
        var seen = new HashSet<Architecture>();
        var expanded = new List<Architecture>();
        foreach (var parent in parents)
        {
            var choices = parent.Choices.ToArray();
            void Assign(int position)
            {
                if (position == block.Count)
                {
                    var grown = Space.Grown(choices, stage);
                    if (seen.Add(grown)) expanded.Add(grown);
                    return;
                }
                int decision = block[position];
                foreach (int option in Space.AllowedOptions(decision, new ArraySegment<int>(choices, 0, decision)))
                {
                    choices[decision] = option;
                    Assign(position + 1);
                }
            }
            Assign(0);
        }
        return expanded;
    }

    /// <summary>Refits the predictor on every evaluated architecture and takes K of the pool by Pareto selection on
    /// (predicted accuracy, costs).</summary>
    private List<Architecture> SelectFromPool()
    {
        var known = _results.Where(r => r.Value is not null).ToList();
        if (known.Count > 0)
        {
            double min = known.Min(r => r.Value!.Value), max = known.Max(r => r.Value!.Value);
            _predictor?.Dispose();
            _predictor = new LstmAccuracyPredictor(Space, Options.EmbeddingSize, Options.HiddenSize, _random);
            _predictor.Fit(known.Select(r => r.Key).ToList(), known.Select(r => max > min ? (r.Value!.Value - min) / (max - min) : 0.5).ToList(),
                Options.PredictorEpochs, Options.BatchSize, Options.LearningRate, _random);
        }
        var predicted = PredictPerformance(_pool);
        var points = _pool.Select((a, i) => (IReadOnlyList<double>)_costs.Select(c => c.Of(a)).Prepend(predicted[i]).ToArray()).ToList();
        return ParetoSelection.Select(points, _selectionObjectives, Options.Keep).Select(i => _pool[i]).ToList();
    }

    public JsonObject ExportState()
    {
        static JsonArray Architectures(IEnumerable<Architecture> list) => new(list.Select(a => (JsonNode)a.ToString()).ToArray());
        return new JsonObject
        {
            ["random"] = _random.ToJson(),
            ["stage"] = Stage,
            ["final_rounds"] = FinalRounds,
            ["queue"] = Architectures(_queue),
            ["asked"] = Architectures(_asked),
            ["stage_members"] = Architectures(_stageMembers),
            ["pool"] = Architectures(_pool),
            ["results"] = new JsonArray(_results.Select(r => (JsonNode)new JsonObject { ["arch"] = r.Key.ToString(), ["value"] = r.Value }).ToArray()),
        };
    }

    /// <summary>Restores the search where it was; the predictor is refitted at the next selection, as it is every time.</summary>
    public void ImportState(JsonObject state)
    {
        List<Architecture> Architectures(string key) => state[key]!.AsArray().Select(n => Space.Parse(n!.GetValue<string>())).ToList();
        _random = SeededRandom.FromJson(state["random"]!);
        Stage = state["stage"]!.GetValue<int>();
        FinalRounds = state["final_rounds"]!.GetValue<int>();
        _queue.Clear();
        foreach (var a in Architectures("queue")) _queue.Enqueue(a);
        _asked.Clear();
        _asked.UnionWith(Architectures("asked"));
        _stageMembers = Architectures("stage_members");
        _pool = Architectures("pool");
        _results.Clear();
        foreach (var r in state["results"]!.AsArray()) _results[Space.Parse(r!["arch"]!.GetValue<string>())] = r["value"]?.GetValue<double>();
    }

    public void Dispose() => _predictor?.Dispose();
}
