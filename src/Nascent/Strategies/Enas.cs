namespace Nascent.Strategies;

/// <summary>
/// ENAS (Pham et al. 2018): an LSTM controller samples the paths the supernet trains on and the candidates it
/// evaluates; each told trial is a REINFORCE sample with reward = validation accuracy in [0, 1] plus the entropy
/// bonus, against an exponential moving-average baseline; gradients of <see cref="ControllerOptions.SamplesPerUpdate"/>
/// samples make one Adam update. Asks sample without gradients (from a managed copy of the weights, <see cref="ControllerSampler"/>); a tell re-runs the controller teacher-forced along
/// the told architecture, so no graph is held between ask and tell.
/// With <see cref="MemoryBufferOptions"/> it is the memory-buffer controller (`enas-memory`): told architectures enter
/// a buffer; each update also replays buffered ones (teacher-forced, weighted by their advantage against the current
/// baseline); only when <see cref="MemoryBufferOptions.AuxiliaryWeight"/> is above 0 (off by default) the controller
/// has auxiliary heads and adds the loss of <see cref="LstmController.AuxiliaryLoss"/> on every sequence it trains on.
/// With a <see cref="MonasReward"/> it is MONAS (`monas`): the same controller and update, rewarded for accuracy and
/// a device cost together.
/// </summary>
public sealed class Enas : IWeightSharingStrategy
{
    /// <summary>The spaces of image cells, where device costs are measured.</summary>
    private static readonly string[] ImageSpaces = ["nb201", "enas-micro"];

    public static StrategyDescriptor Descriptor { get; } = new StrategyDescriptor<ControllerOptions>
    {
        Name = "enas", Kind = StrategyKind.WeightSharing, Summary = "ENAS: an LSTM controller trained by REINFORCE over the supernet",
        LearnsDistribution = true, HasAnalysableController = true, DefaultsForSpace = ControllerOptions.ForSpace,
        Factory = (c, o) => new Enas(c.Space, c.Seed, o) { Name = "enas" },
    };

    public static StrategyDescriptor MemoryDescriptor { get; } = new StrategyDescriptor<MemoryControllerOptions>
    {
        Name = "enas-memory", Kind = StrategyKind.WeightSharing,
        Summary = "ENAS with a memory buffer of earlier architectures replayed at each update (Adam and Lorraine 2019)",
        LearnsDistribution = true, HasAnalysableController = true,
        DefaultsForSpace = space => new MemoryControllerOptions { Controller = ControllerOptions.ForSpace(space) },
        Factory = (c, o) => new Enas(c.Space, c.Seed, o.Controller, o.Memory) { Name = "enas-memory" },
    };

    public static StrategyDescriptor ReinforceDescriptor { get; } = new StrategyDescriptor<ControllerOptions>
    {
        Name = "reinforce", Kind = StrategyKind.OneAtATime, Summary = "REINFORCE with the controller, as NAS-Bench-201 runs it",
        LearnsDistribution = true, Defaults = ControllerOptions.Reinforce,
        Factory = (c, o) => new Enas(c.Space, c.Seed, o) { Name = "reinforce" },
    };

    public static StrategyDescriptor MonasDescriptor { get; } = new StrategyDescriptor<MonasOptions>
    {
        Name = "monas", Kind = StrategyKind.OneAtATime, NeedsCost = true, Spaces = ImageSpaces, LearnsDistribution = true,
        Summary = "MONAS: REINFORCE rewarded for accuracy and a device cost",
        Factory = (c, o) => new Enas(c.Space, c.Seed, o.Controller, reward: new MonasReward(c.Costs, o)) { Name = "monas" },
    };

    private readonly LstmController _controller;
    private readonly TorchSharp.Modules.Adam _optimizer;
    private SeededRandom _random;
    private double? _baseline;
    private int _pendingSamples;
    private ControllerSampler? _sampler;
    private readonly List<(Architecture Architecture, double Reward)> _memory = [];

    public Enas(SearchSpace space, ulong seed, ControllerOptions? options = null, MemoryBufferOptions? memory = null,
        MonasReward? reward = null)
    {
        Options = options ?? ControllerOptions.ForSpace(space.Name);
        Options.ValidateFor(space);
        memory?.Validate();
        Memory = memory;
        Reward = reward;
        Space = space;
        _random = new SeededRandom(seed);
        _controller = new LstmController(space, Options, _random, auxiliaryHeads: memory is { TrainsAuxiliaryLoss: true });
        _optimizer = optim.Adam(_controller.parameters(), Options.LearningRate, Options.AdamBeta1, Options.AdamBeta2, Options.AdamEpsilon);
    }

    public string Name { get; init; } = "";
    public SearchSpace Space { get; }
    public ControllerOptions Options { get; }
    public MemoryBufferOptions? Memory { get; }
    /// <summary>MONAS's multi-objective reward; null: the validation accuracy in [0, 1].</summary>
    public MonasReward? Reward { get; }
    public LstmController Controller => _controller;
    public double? Baseline => _baseline;
    public int Updates { get; private set; }

    public Architecture NextTrainingPath() => Sample();

    public int EvaluationsPerEpoch => Options.UpdatesPerEpoch * Options.SamplesPerUpdate;

    public Architecture Ask() => Sample();

    private Architecture Sample() => Space.Create(Sampler.Run(_random).Choices);

    /// <summary>The controller's most probable architecture (greedy decoding).</summary>
    public Architecture MostProbable() => Space.Create(Sampler.Run(greedy: true).Choices);

    /// <summary>Asks sample from a managed copy of the controller's weights, taken again after each update.</summary>
    private ControllerSampler Sampler => _sampler ??= _controller.Snapshot();

    public void Tell(Trial trial)
    {
        double accuracy = trial.Status == TrialStatus.Done && trial.Metrics is not null ? trial.Metrics.Accuracy / 100.0 : 0.0;
        using var scope = NewDisposeScope();
        _controller.train();
        var pass = _controller.Run(forced: trial.Architecture.Choices);
        double reward = (Reward?.Of(trial) ?? accuracy) + Options.EntropyWeight * pass.Entropy.item<float>();
        // ENAS updates the baseline before it forms the advantage.
        _baseline = _baseline is null ? reward : _baseline - (1 - Options.BaselineDecay) * (_baseline - reward);
        var loss = -pass.LogProbability * (reward - _baseline.Value);
        if (Memory is { TrainsAuxiliaryLoss: true }) loss = loss + Memory.AuxiliaryWeight * _controller.AuxiliaryLoss(pass);
        (loss / Options.SamplesPerUpdate).backward();
        if (Memory is not null)
        {
            _memory.Add((trial.Architecture, accuracy));
            if (_memory.Count > Memory.Size) _memory.RemoveAt(0);
        }
        if (++_pendingSamples >= Options.SamplesPerUpdate) Update();
    }

    private void Update()
    {
        if (Memory is not null && Memory.Replays > 0 && _memory.Count > 0 && _baseline is double baseline)
        {
            for (int r = 0; r < Memory.Replays; r++)
            {
                using var scope = NewDisposeScope();
                var (architecture, reward) = _memory[_random.Next(_memory.Count)];
                var pass = _controller.Run(forced: architecture.Choices);
                var loss = -Memory.ReplayWeight * pass.LogProbability * (reward - baseline);
                if (Memory.TrainsAuxiliaryLoss) loss = loss + Memory.AuxiliaryWeight * _controller.AuxiliaryLoss(pass);
                (loss / Memory.Replays).backward();
            }
        }
        if (Options.GradientClipNorm > 0) nn.utils.clip_grad_norm_(_controller.parameters(), Options.GradientClipNorm);
        _optimizer.step();
        _sampler = null;
        _controller.zero_grad();
        _pendingSamples = 0;
        Updates++;
    }

    public JsonObject ExportState()
    {
        using var weights = new MemoryStream();
        _controller.save(new BinaryWriter(weights));
        return new JsonObject
        {
            ["random"] = _random.ToJson(),
            ["baseline"] = _baseline,
            ["largest_cost"] = Reward?.LargestCost,
            ["pending_samples"] = _pendingSamples,
            ["updates"] = Updates,
            ["controller"] = Convert.ToBase64String(weights.ToArray()),
            ["optimizer"] = OptimizerState.Export(_optimizer),
            ["memory"] = new JsonArray(_memory.Select(m => (JsonNode)new JsonObject
            {
                ["arch"] = m.Architecture.ToString(),
                ["reward"] = m.Reward,
            }).ToArray()),
        };
    }

    public void ImportState(JsonObject state)
    {
        _random = SeededRandom.FromJson(state["random"]!);
        _baseline = state["baseline"]?.GetValue<double>();
        if (Reward is not null) Reward.LargestCost = state["largest_cost"]?.GetValue<double>() ?? 0;
        _pendingSamples = state["pending_samples"]!.GetValue<int>();
        Updates = state["updates"]!.GetValue<int>();
        using (var weights = new MemoryStream(Convert.FromBase64String(state["controller"]!.GetValue<string>())))
            _controller.load(new BinaryReader(weights));
        _sampler = null;
        OptimizerState.Import(_optimizer, state["optimizer"]!.GetValue<string>());
        _memory.Clear();
        foreach (var m in state["memory"]!.AsArray())
            _memory.Add((Space.Parse(m!["arch"]!.GetValue<string>()), m["reward"]!.GetValue<double>()));
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _controller.Dispose();
    }
}
