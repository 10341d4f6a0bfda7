namespace Nascent.Strategies;

/// <summary>
/// The ENAS controller (Pham et al. 2018; micro_controller.py of melodyguan/enas), for any space of the core: an LSTM
/// steps through the space's decisions in order. An operation decision is a softmax over the LSTM output (one head per
/// distinct option list, shared like ENAS's w_soft) and the chosen option's embedding is the next input. An input
/// decision attends over the nodes of the current cell: v · tanh(W1 anchor + W2 h); the chosen node's anchor is the
/// next input. A cell starts from the learned start embedding, with one LSTM step per cell input (anchor zero); after
/// a node's last decision one more LSTM step gives the node's anchor. Spaces without input decisions (NAS-Bench-201)
/// skip the anchors: the controller is then the plain REINFORCE LSTM. Logits are divided by the temperature and
/// squashed by c · tanh (c reduced for operations). With <paramref name="auxiliaryHeads"/> a head per decision j
/// predicts choice j from any later hidden state (the memory-buffer variant's auxiliary loss).
/// </summary>
public sealed class LstmController : nn.Module
{
    private readonly ModuleList<LSTMCell> lstm;
    private readonly Parameter startEmbedding;
    private readonly ModuleDict<Embedding> operationEmbeddings;   // key: option-list signature
    private readonly ModuleDict<Linear> operationHeads;           // key: option-list signature
    private readonly Linear attentionAnchor;                       // W1
    private readonly Linear attentionQuery;                        // W2
    private readonly Linear attentionVector;                       // v
    private readonly ModuleList<Linear>? auxiliary;
    private readonly SearchSpace _space;
    private readonly ControllerOptions _options;
    private readonly Layout _layout;
    private readonly double[]? _firstCellBias;   // ControllerOptions.FirstCellOperationBias, null when empty
    private readonly float[]? _firstCellBiasRow; // the same as the float32 row the torch forward adds

    /// <summary>Where the controller's steps fall in a space's decision list, per decision: the key of its option
    /// list (operation heads and embeddings are shared between decisions with the same options), whether it starts a
    /// group (cell), the number of cell inputs of its group (its first node index), and whether it is the last
    /// decision of its node with the next one in the same group (then one more LSTM step makes the node's anchor).</summary>
    internal sealed record Layout(string[] Signatures, bool HasInputs, bool[] StartsGroup, int[] CellInputs, bool[] EndsNode, bool[] InFirstGroup)
    {
        public static Layout Of(SearchSpace space)
        {
            var decisions = space.Decisions;
            int count = decisions.Count;
            var starts = new bool[count];
            var ends = new bool[count];
            var inputs = new int[count];
            for (int i = 0; i < count; i++)
            {
                starts[i] = i == 0 || decisions[i].Group != decisions[i - 1].Group;
                ends[i] = i + 1 < count && decisions[i + 1].Group == decisions[i].Group && decisions[i + 1].Node != decisions[i].Node;
                inputs[i] = decisions.Where(d => d.Group == decisions[i].Group).Min(d => d.Node);
            }
            return new Layout(decisions.Select(d => string.Join("|", d.Options)).ToArray(),
                decisions.Any(d => d.Kind == DecisionKind.Input), starts, inputs, ends,
                decisions.Select(d => d.Group == decisions[0].Group).ToArray());
        }
    }

    /// <param name="random">Initialises every weight uniformly in [-0.1, 0.1] as ENAS does; drawn from our generator,
    /// not torch's global one, so controllers built on several threads at once stay reproducible.</param>
    public LstmController(SearchSpace space, ControllerOptions options, SeededRandom random, bool auxiliaryHeads = false)
        : base(nameof(LstmController))
    {
        options.ValidateFor(space);
        _space = space;
        _options = options;
        int h = options.LstmSize;
        lstm = new ModuleList<LSTMCell>();
        for (int l = 0; l < options.LstmLayers; l++) lstm.Add(nn.LSTMCell(h, h));
        startEmbedding = new Parameter(empty(1, h));
        var decisions = space.Decisions;
        _layout = Layout.Of(space);
        var signatures = _layout.Signatures;
        operationEmbeddings = new ModuleDict<Embedding>();
        operationHeads = new ModuleDict<Linear>();
        for (int i = 0; i < decisions.Count; i++)
        {
            if (decisions[i].Kind != DecisionKind.Operation || operationHeads.ContainsKey(signatures[i])) continue;
            operationEmbeddings.Add(signatures[i], nn.Embedding(decisions[i].Count, h));
            operationHeads.Add(signatures[i], nn.Linear(h, decisions[i].Count));
        }
        attentionAnchor = nn.Linear(h, h, hasBias: false);
        attentionQuery = nn.Linear(h, h, hasBias: false);
        attentionVector = nn.Linear(h, 1, hasBias: false);
        if (auxiliaryHeads)
        {
            auxiliary = new ModuleList<Linear>();
            foreach (var d in decisions) auxiliary.Add(nn.Linear(h, d.Count));
        }
        RegisterComponents();
        ParameterInit.Uniform(this, random, _ => 0.1);
        if (options.OperationBiasInit.Count > 0)
        {
            using var _ = no_grad();
            foreach (var head in operationHeads.values()) head.bias!.copy_(tensor(options.OperationBiasInit.Select(b => (float)b).ToArray()));
        }
        if (options.FirstCellOperationBias.Count > 0)
        {
            _firstCellBias = options.FirstCellOperationBias.ToArray();
            _firstCellBiasRow = _firstCellBias.Select(b => (float)b).ToArray();
        }
    }

    public SearchSpace Space => _space;
    public bool HasAuxiliaryHeads => auxiliary is not null;

    /// <summary>Runs the controller over every decision. With <paramref name="forced"/> it is teacher-forced along
    /// those choices (log-probability of a given architecture); otherwise it samples with <paramref name="random"/>,
    /// or takes the most probable option when <paramref name="greedy"/>. <paramref name="forcedPrefix"/> forces only
    /// the first choices and samples the rest.</summary>
    public ControllerPass Run(IReadOnlyList<int>? forced = null, SeededRandom? random = null, bool greedy = false, int forcedPrefix = -1)
    {
        int count = _space.Decisions.Count;
        if (forced is not null && forcedPrefix < 0) forcedPrefix = count;
        if (forcedPrefix < count && random is null && !greedy) throw new ArgumentException("Sampling needs a random generator.");
        var choices = new int[count];
        var hidden = new List<Tensor>(count);
        var state = Enumerable.Range(0, lstm.Count).Select(_ => (zeros(1, _options.LstmSize), zeros(1, _options.LstmSize))).ToArray();
        Tensor input = startEmbedding;
        Tensor logProbability = zeros(1);
        Tensor entropy = zeros(1);
        var anchors = new List<Tensor>();
        var anchorKeys = new List<Tensor>();

        Tensor Step(Tensor x)
        {
            for (int l = 0; l < lstm.Count; l++)
            {
                var (hNext, cNext) = lstm[l].call(x, state[l]);
                state[l] = (hNext, cNext);
                x = hNext;
            }
            return x;
        }

        for (int i = 0; i < count; i++)
        {
            var decision = _space.Decisions[i];
            if (_layout.HasInputs && _layout.StartsGroup[i])
            {
                anchors.Clear();
                anchorKeys.Clear();
                input = startEmbedding;
                for (int k = 0; k < _layout.CellInputs[i]; k++)
                {
                    var h0 = Step(input);
                    anchors.Add(zeros_like(h0));
                    anchorKeys.Add(attentionAnchor.call(h0));
                }
            }
            var h = Step(input);
            hidden.Add(h);
            Tensor logits;
            double tanhConstant = _options.TanhConstant;
            if (decision.Kind == DecisionKind.Input)
            {
                var keys = cat(anchorKeys.Take(decision.Count).ToArray(), 0);       // [options, H]
                logits = attentionVector.call(tanh(keys + attentionQuery.call(h))).view(1, -1);
            }
            else
            {
                logits = operationHeads[_layout.Signatures[i]].call(h);
                tanhConstant /= _options.OpTanhReduce;
            }
            if (_options.Temperature > 0) logits = logits / _options.Temperature;
            if (tanhConstant > 0) logits = tanhConstant * tanh(logits);
            if (_firstCellBiasRow is not null && decision.Kind == DecisionKind.Operation && _layout.InFirstGroup[i])
                logits = logits + tensor(_firstCellBiasRow).view(1, -1);
            var prefix = new ArraySegment<int>(choices, 0, i);
            if (Enumerable.Range(0, decision.Count).Any(o => !_space.IsAllowed(i, o, prefix)))
            {
                var mask = tensor(Enumerable.Range(0, decision.Count).Select(o => _space.IsAllowed(i, o, prefix)).ToArray()).view(1, -1);
                logits = logits.masked_fill(mask.logical_not(), float.NegativeInfinity);
            }
            var logSoftmax = nn.functional.log_softmax(logits, 1);
            int choice = i < forcedPrefix ? forced![i] : Choose(logSoftmax, random, greedy);
            choices[i] = choice;
            logProbability = logProbability + logSoftmax[0, choice];
            var probabilities = logSoftmax.exp();
            entropy = entropy - (probabilities * logSoftmax.nan_to_num(0, 0, 0)).sum();
            input = decision.Kind == DecisionKind.Input
                ? anchors[choice]
                : operationEmbeddings[_layout.Signatures[i]].call(tensor(new long[] { choice }));
            if (_layout.HasInputs && _layout.EndsNode[i])
            {
                var anchor = Step(input);
                anchors.Add(anchor);
                anchorKeys.Add(attentionAnchor.call(anchor));
                input = startEmbedding;
            }
        }
        return new ControllerPass(choices, logProbability.squeeze(), entropy.squeeze(), cat(hidden, 0));
    }

    private static int Choose(Tensor logSoftmax, SeededRandom? random, bool greedy) =>
        ControllerSampler.Choose(logSoftmax.exp().to_type(float64).data<double>().ToArray(), random, greedy);

    /// <summary>A managed copy of the current weights for fast sampling without gradients
    /// (<see cref="ControllerSampler"/>); it does not follow later changes of the weights.</summary>
    public ControllerSampler Snapshot()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        static float[] Values(Tensor t) => t.detach().contiguous().data<float>().ToArray();
        var cells = lstm.ToArray();
        return new ControllerSampler(_layout, _options, _space, _firstCellBias,
            cells.Select(c => Values(c.weight_ih!)).ToArray(),
            cells.Select(c => Values(c.weight_hh!)).ToArray(),
            cells.Select(c => Values(c.bias_ih! + c.bias_hh!)).ToArray(),
            Values(startEmbedding),
            operationHeads.keys().ToDictionary(k => k, k => Values(operationEmbeddings[k].weight!)),
            operationHeads.keys().ToDictionary(k => k, k => (Values(operationHeads[k].weight!), Values(operationHeads[k].bias!))),
            Values(attentionAnchor.weight!), Values(attentionQuery.weight!), Values(attentionVector.weight!));
    }

    /// <summary>Auxiliary loss of the memory-buffer variant: from the hidden state at each step t, the head of every
    /// earlier decision j &lt; t must recover choice j (mean cross-entropy over all such pairs).</summary>
    public Tensor AuxiliaryLoss(ControllerPass pass)
    {
        if (auxiliary is null) throw new InvalidOperationException("This controller has no auxiliary heads.");
        int count = pass.Choices.Length;
        Tensor total = zeros(1);
        int pairs = 0;
        for (int j = 0; j + 1 < count; j++)
        {
            var later = pass.Hidden.narrow(0, j + 1, count - j - 1);
            var logits = auxiliary[j].call(later);
            var targets = full(new long[] { count - j - 1 }, pass.Choices[j], dtype: int64);
            total = total + nn.functional.cross_entropy(logits, targets, reduction: nn.Reduction.Sum);
            pairs += count - j - 1;
        }
        return (total / Math.Max(1, pairs)).squeeze();
    }
}
