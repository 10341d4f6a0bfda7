namespace Nascent.Strategies;

/// <summary>
/// First-order DARTS (Liu, Simonyan and Yang 2019): every decision is relaxed to a softmax(α)-weighted mixture of
/// all its options (<see cref="CellNetwork.ForwardMixed"/>); each supernet step is first a step of α on a validation
/// batch, the shared weights taken as they are (first order, no unrolled step), then a step of the shared weights on
/// the training batch through the updated α: DARTS's order (quark0/darts cnn/train_search.py:147 `architect.step`,
/// then :149-155 the weight step). NAS-Bench-201's DARTS-V1 (AutoDL-Projects exps/NAS-Bench-201-algos/DARTS-V1.py:52-73)
/// steps the weights first; Nascent follows DARTS's own code. Its mixed operations' batch norms have no affine
/// parameters (the supernet's search cells: <see cref="Nb201Cell"/>). The result is the argmax of α at each decision. On NAS-Bench-201 each edge has one operation, so
/// the argmax runs over all 5 operations including "none", as the NAS-Bench-201 paper's DARTS does; no top-k edge
/// pruning is needed. Its memory grows with the number of options: every option of every decision runs each step.
/// </summary>
public sealed class Darts : IWeightSharingStrategy
{
    public const string RelaxationFile = "darts.json";

    public static StrategyDescriptor Descriptor { get; } = new StrategyDescriptor<DartsOptions>
    {
        Name = "darts", Kind = StrategyKind.WeightSharing,
        Summary = "first-order DARTS: softmax(α)-weighted mixed operations, α stepped on validation batches",
        Spaces = ["nb201"], Artifacts = [RelaxationFile],
        Factory = (c, o) => new Darts(c.Space, c.Seed, o),
    };

    private readonly Parameter[] _alpha;
    private readonly optim.Optimizer _optimizer;
    private SeededRandom _random;

    public Darts(SearchSpace space, ulong seed, DartsOptions? options = null)
    {
        Options = options ?? new DartsOptions();
        Options.Validate();
        Space = space;
        _random = new SeededRandom(seed);
        _alpha = space.Decisions.Select(d =>
        {
            var init = Enumerable.Range(0, d.Count).Select(_ => (float)(1e-3 * Normal(_random))).ToArray();
            return new Parameter(tensor(init), requires_grad: true);
        }).ToArray();
        _optimizer = optim.Adam(_alpha, Options.LearningRate, beta1: 0.5, beta2: 0.999, weight_decay: Options.WeightDecay);
    }

    private static double Normal(SeededRandom random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    public string Name => Descriptor.Name;
    public SearchSpace Space { get; }
    public DartsOptions Options { get; }
    public long Updates { get; private set; }
    public int EvaluationsPerEpoch => 0;

    /// <summary>α of one decision (a copy).</summary>
    public float[] Alpha(int decision) => _alpha[decision].data<float>().ToArray();

    /// <summary>Sets α (tests, and a relaxation read back from darts.json).</summary>
    public void SetAlpha(int decision, IReadOnlyList<float> values)
    {
        using var _ = no_grad();
        using var source = tensor(values.ToArray());
        _alpha[decision].copy_(source);
    }

    /// <summary>DARTS's step, in DARTS's order (cnn/train_search.py:143-155): α on a validation batch (the shared
    /// weights as they are: first order, cnn/architect.py:39-41), then the shared weights on the training batch through
    /// the mixed operations weighted by the updated α (detached).</summary>
    public double TrainStep(ISupernetBatch batch)
    {
        var images = batch as IImageSupernetBatch
            ?? throw new NascentException($"Strategy darts trains image supernets; the {Space.Name} space has none.");
        var (valImages, valLabels) = images.NextValidationBatch();
        UpdateArchitecture(images.Supernet, valImages, valLabels);
        return images.TrainMixed(MixingWeights(detached: true));
    }

    public void WriteArtifacts(string runDirectory, ISupernet supernet) => Relaxation().Save(Path.Combine(runDirectory, RelaxationFile));

    public IReadOnlyList<Tensor> MixingWeights(bool detached) =>
        _alpha.Select(a => detached ? nn.functional.softmax(a.detach(), 0) : nn.functional.softmax(a, 0)).ToArray();

    public double UpdateArchitecture(CellNetwork supernet, Tensor images, Tensor labels)
    {
        using var scope = NewDisposeScope();
        supernet.train();
        _optimizer.zero_grad();
        var loss = nn.functional.cross_entropy(supernet.ForwardMixed(images, MixingWeights(detached: false)), labels);
        double value = loss.item<float>();
        loss.backward();
        _optimizer.step();
        supernet.zero_grad(); // the shared weights' gradients from this pass must not reach their own step
        Updates++;
        return value;
    }

    public Architecture Discretise()
    {
        var choices = new int[Space.Decisions.Count];
        for (int d = 0; d < choices.Length; d++)
        {
            var alpha = Alpha(d);
            var prefix = new ArraySegment<int>(choices, 0, d);
            int best = -1;
            for (int o = 0; o < alpha.Length; o++)
                if (Space.IsAllowed(d, o, prefix) && (best < 0 || alpha[o] > alpha[best])) best = o;
            choices[d] = best;
        }
        return Space.Create(choices);
    }

    /// <summary>Uniform paths (used only if a runner asks for a single path).</summary>
    public Architecture NextTrainingPath() => Space.Sample(_random);

    /// <summary>DARTS returns one architecture: every ask is the discretised one.</summary>
    public Architecture Ask() => Discretise();

    public void Tell(Trial trial) { }

    /// <summary>α and softmax(α) per decision with the discretised architecture (darts.json; the schema of
    /// distribution.json, the logits being α).</summary>
    public ParsecDistribution Relaxation()
    {
        var logits = Enumerable.Range(0, _alpha.Length).Select(d => Alpha(d).Select(v => (double)v).ToArray()).ToArray();
        double entropy = 0;
        foreach (var l in logits)
        {
            double max = l.Max(), sum = l.Sum(v => Math.Exp(v - max));
            foreach (var v in l) { double p = Math.Exp(v - max) / sum; if (p > 0) entropy -= p * Math.Log(p); }
        }
        return ParsecDistribution.Of(Space, logits, Discretise().ToString(), entropy, Updates);
    }

    public JsonObject ExportState() => new()
    {
        ["alpha"] = new JsonArray(Enumerable.Range(0, _alpha.Length)
            .Select(d => (JsonNode)new JsonArray(Alpha(d).Select(v => (JsonNode)v).ToArray())).ToArray()),
        ["updates"] = Updates,
        ["random"] = _random.ToJson(),
        ["optimizer"] = OptimizerState.Export(_optimizer),
    };

    /// <summary>Restores α, the generator and, when the state holds them, Adam's moments.</summary>
    public void ImportState(JsonObject state)
    {
        var alpha = state["alpha"]!.AsArray();
        for (int d = 0; d < _alpha.Length; d++) SetAlpha(d, alpha[d]!.AsArray().Select(v => v!.GetValue<float>()).ToArray());
        Updates = state["updates"]!.GetValue<long>();
        _random = SeededRandom.FromJson(state["random"]!);
        if (state["optimizer"] is { } optimizer) OptimizerState.Import(_optimizer, optimizer.GetValue<string>());
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        foreach (var a in _alpha) a.Dispose();
    }
}
