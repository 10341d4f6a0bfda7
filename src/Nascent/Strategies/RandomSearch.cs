namespace Nascent.Strategies;

/// <summary>
/// Uniform random search. Over shared weights it is random search with weight sharing (RSWS, Li and Talwalkar
/// 2019; the baseline of "Understanding NAS Techniques"): the supernet trains on uniformly sampled paths, then
/// uniformly sampled architectures are ranked on the shared weights. Without shared weights, each asked
/// architecture is trained from scratch. Already-asked architectures are not asked again while unseen ones remain.
/// </summary>
public sealed class RandomSearch : IWeightSharingStrategy
{
    public static StrategyDescriptor Descriptor { get; } = new StrategyDescriptor<NoOptions>
    {
        Name = "rs", Aliases = ["random"], Kind = StrategyKind.OneAtATime, Summary = "uniform random search",
        Factory = (c, _) => new RandomSearch(c.Space, c.Seed, weightSharing: false),
    };

    public static StrategyDescriptor WeightSharingDescriptor { get; } = new StrategyDescriptor<NoOptions>
    {
        Name = "rsws", Kind = StrategyKind.WeightSharing,
        Summary = "random search with weight sharing: uniform paths train the supernet, uniform candidates are ranked on it",
        Factory = (c, _) => new RandomSearch(c.Space, c.Seed, weightSharing: true),
    };

    private SeededRandom _random;
    private readonly HashSet<Architecture> _asked = [];
    private const int DuplicateRetries = 100;

    public RandomSearch(SearchSpace space, ulong seed, bool weightSharing)
    {
        Space = space;
        WeightSharing = weightSharing;
        _random = new SeededRandom(seed);
    }

    /// <summary>Random search learns nothing, so it asks for no rewards.</summary>
    public int EvaluationsPerEpoch => 0;

    public string Name => (WeightSharing ? WeightSharingDescriptor : Descriptor).Name;
    public SearchSpace Space { get; }
    public bool WeightSharing { get; }

    public Architecture NextTrainingPath() => Space.Sample(_random);

    public Architecture Ask()
    {
        var architecture = Space.Sample(_random);
        for (int i = 0; i < DuplicateRetries && _asked.Contains(architecture); i++) architecture = Space.Sample(_random);
        _asked.Add(architecture);
        return architecture;
    }

    public void Tell(Trial trial) => _asked.Add(trial.Architecture);

    /// <summary>Holds no native resources.</summary>
    public void Dispose() { }

    public JsonObject ExportState() => new()
    {
        ["random"] = _random.ToJson(),
        ["asked"] = new JsonArray(_asked.Select(a => (JsonNode)a.ToString()).ToArray()),
    };

    public void ImportState(JsonObject state)
    {
        _random = SeededRandom.FromJson(state["random"]!);
        _asked.Clear();
        foreach (var a in state["asked"]!.AsArray()) _asked.Add(Space.Parse(a!.GetValue<string>()));
    }
}
