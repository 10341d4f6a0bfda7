namespace Nascent.Strategies;

/// <summary>
/// NAO's encoder, performance predictor and decoder (Luo et al. 2018) over any space's token sequence
/// (<see cref="SearchSpace.ToTokens"/>, one token range per decision; token 0 is the decoder's start symbol).
/// Encoder: embedding, LSTM, each output L2-normalised; the architecture embedding is their normalised mean.
/// Predictor: MLP (ReLU, dropout) to one sigmoid output, the performance scaled to [0, 1]. Decoder: an LSTM started
/// from (embedding, embedding), attention over the encoder outputs (NAO's: scores of a projected decoder output
/// against the encoder outputs, then tanh of a projection of [context; output]), a softmax over the tokens; only the
/// tokens of the decision at hand that the space allows after the choices so far can be decoded, so every decoded
/// sequence is a valid architecture. Weights are initialised from the strategy's generator and dropout masks drawn
/// from it, so a run depends on its seed only, also when many run on parallel threads.
/// </summary>
public sealed class NaoModel : nn.Module
{
    private readonly Embedding encoderEmbedding;
    private readonly LSTM encoder;
    private readonly ModuleList<Linear> mlp;
    private readonly Linear regressor;
    private readonly Embedding decoderEmbedding;
    private readonly LSTM decoder;
    private readonly Linear attentionInput;
    private readonly Linear attentionOutput;
    private readonly Linear output;
    private readonly SearchSpace _space;
    private readonly NaoOptions _options;
    private readonly Tensor _positionMask; // [decisions, vocabulary]: true where a token belongs to the decision

    public NaoModel(SearchSpace space, NaoOptions options, SeededRandom random) : base(nameof(NaoModel))
    {
        options.Validate();
        _space = space;
        _options = options;
        int vocabulary = space.VocabularySize + 1, h = options.HiddenSize;
        encoderEmbedding = nn.Embedding(vocabulary, options.EmbeddingSize);
        encoder = nn.LSTM(options.EmbeddingSize, h, options.EncoderLayers, batchFirst: true);
        mlp = new ModuleList<Linear>();
        for (int l = 0; l < options.MlpLayers; l++) mlp.Add(nn.Linear(l == 0 ? h : options.MlpHiddenSize, options.MlpHiddenSize));
        regressor = nn.Linear(options.MlpLayers == 0 ? h : options.MlpHiddenSize, 1);
        decoderEmbedding = nn.Embedding(vocabulary, h);
        decoder = nn.LSTM(h, h, 1, batchFirst: true);
        attentionInput = nn.Linear(h, h, hasBias: false);
        attentionOutput = nn.Linear(2 * h, h, hasBias: false);
        output = nn.Linear(h, vocabulary);
        RegisterComponents();

        var mask = new bool[space.Decisions.Count * vocabulary];
        for (int i = 0; i < space.Decisions.Count; i++)
            for (int o = 0; o < space.Decisions[i].Count; o++) mask[i * vocabulary + 1 + space.TokenOffset(i) + o] = true;
        _positionMask = tensor(mask, [space.Decisions.Count, vocabulary]);
        // PyTorch's default bound for linear and recurrent layers, 1 / sqrt(fan in).
        ParameterInit.Uniform(this, random, p => 1.0 / Math.Sqrt(p.shape.Length > 1 ? p.shape[^1] : h));
    }

    public SearchSpace Space => _space;

    /// <summary>Token ids of architectures as the model reads them: [count, decisions], 0 kept for the start symbol.</summary>
    public Tensor Tokens(IReadOnlyList<Architecture> architectures)
    {
        int length = _space.Decisions.Count;
        var ids = new long[architectures.Count * length];
        for (int a = 0; a < architectures.Count; a++)
        {
            var tokens = _space.ToTokens(architectures[a]);
            for (int t = 0; t < length; t++) ids[a * length + t] = tokens[t] + 1;
        }
        return tensor(ids, [architectures.Count, length]);
    }

    /// <summary>The encoder: normalised outputs [B, T, H] and the architecture embeddings [B, H].</summary>
    public (Tensor Outputs, Tensor Embedding) Encode(Tensor tokens)
    {
        var (outputs, _, _) = encoder.call(encoderEmbedding.call(tokens));
        outputs = nn.functional.normalize(outputs, 2, -1);
        return (outputs, Embed(outputs));
    }

    private static Tensor Embed(Tensor outputs) => nn.functional.normalize(outputs.mean([1]), 2, -1);

    /// <summary>The predictor: performance in [0, 1] of each embedding, [B]. <paramref name="dropout"/> masks come
    /// from <paramref name="random"/> (training only).</summary>
    public Tensor Predict(Tensor embedding, SeededRandom? random = null)
    {
        var x = embedding;
        foreach (var layer in mlp)
        {
            x = nn.functional.relu(layer.call(x));
            if (random is not null && _options.MlpDropout > 0) x = x * DropoutMask(x.shape, random);
        }
        return sigmoid(regressor.call(x)).view(-1);
    }

    private Tensor DropoutMask(long[] shape, SeededRandom random)
    {
        double keep = 1 - _options.MlpDropout;
        var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
        for (int k = 0; k < values.Length; k++) values[k] = random.NextDouble() < keep ? (float)(1 / keep) : 0f;
        return tensor(values, shape);
    }

    /// <summary>Teacher-forced decoding: log-probabilities [B, T, vocabulary] of each target token given the ones
    /// before it (the decoder input is the start symbol then the targets shifted right).</summary>
    public Tensor DecodeTeacherForced(Tensor encoderOutputs, Tensor embedding, Tensor targets)
    {
        long batch = targets.shape[0];
        var start = zeros(batch, 1, dtype: int64);
        var inputs = cat([start, targets.narrow(1, 0, targets.shape[1] - 1)], 1);
        var state = InitialState(embedding);
        var (decoded, _, _) = decoder.call(decoderEmbedding.call(inputs), state);
        var logits = Attend(decoded, encoderOutputs);
        return nn.functional.log_softmax(logits.masked_fill(_positionMask.logical_not().unsqueeze(0), float.NegativeInfinity), -1);
    }

    private static (Tensor, Tensor) InitialState(Tensor embedding)
    {
        var h0 = embedding.unsqueeze(0).contiguous();
        return (h0, h0);
    }

    private Tensor Attend(Tensor decoded, Tensor encoderOutputs)
    {
        var scores = matmul(attentionInput.call(decoded), encoderOutputs.transpose(1, 2));   // [B, T, S]
        var context = matmul(nn.functional.softmax(scores, -1), encoderOutputs);             // [B, T, H]
        return output.call(tanh(attentionOutput.call(cat([context, decoded], -1))));
    }

    /// <summary>Greedy decoding from encoder outputs and embeddings, masked to valid architectures.</summary>
    public List<Architecture> Decode(Tensor encoderOutputs, Tensor embedding)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        int batch = (int)embedding.shape[0], length = _space.Decisions.Count, vocabulary = _space.VocabularySize + 1;
        var choices = new int[batch][];
        for (int b = 0; b < batch; b++) choices[b] = new int[length];
        var state = InitialState(embedding);
        var input = zeros(batch, 1, dtype: int64);
        for (int t = 0; t < length; t++)
        {
            var (decoded, hNext, cNext) = decoder.call(decoderEmbedding.call(input), state);
            state = (hNext, cNext);
            var logits = Attend(decoded, encoderOutputs).view(batch, vocabulary).data<float>().ToArray();
            int offset = 1 + _space.TokenOffset(t), count = _space.Decisions[t].Count;
            var next = new long[batch];
            for (int b = 0; b < batch; b++)
            {
                var prefix = new ArraySegment<int>(choices[b], 0, t);
                int best = -1;
                for (int o = 0; o < count; o++)
                    if (_space.IsAllowed(t, o, prefix) && (best < 0 || logits[b * vocabulary + offset + o] > logits[b * vocabulary + offset + best]))
                        best = o;
                choices[b][t] = best;
                next[b] = offset + best;
            }
            input = tensor(next, [batch, 1]);
        }
        return choices.Select(c => _space.Create(c)).ToList();
    }

    /// <summary>Joint training on architectures and their performance scaled to [0, 1]: λ · MSE of the prediction +
    /// (1 − λ) · cross-entropy of the reconstruction, minibatches shuffled with <paramref name="random"/>, a fresh Adam
    /// optimizer per call (NAO keeps the weights between iterations). Returns the last epoch's mean losses.</summary>
    public (double Mse, double CrossEntropy) Train(IReadOnlyList<Architecture> architectures, IReadOnlyList<double> targets,
        SeededRandom random)
    {
        if (architectures.Count != targets.Count) throw new ArgumentException("One target per architecture.");
        if (architectures.Count == 0) return (double.NaN, double.NaN);
        using var optimizer = optim.Adam(parameters(), _options.LearningRate, weight_decay: _options.WeightDecay);
        double mse = 0, crossEntropy = 0;
        for (int epoch = 0; epoch < _options.Epochs; epoch++)
        {
            var order = random.Permutation(architectures.Count);
            mse = crossEntropy = 0;
            for (int start = 0; start < order.Length; start += _options.BatchSize)
            {
                using var scope = NewDisposeScope();
                var batch = order.Skip(start).Take(_options.BatchSize).ToArray();
                var inputs = batch.Select(i => _options.Augment ? _space.SymmetricVariant(architectures[i], random) ?? architectures[i] : architectures[i]).ToList();
                var tokens = Tokens(inputs);
                var target = tensor(batch.Select(i => (float)targets[i]).ToArray());
                optimizer.zero_grad();
                var (outputs, embedding) = Encode(tokens);
                var predictionLoss = nn.functional.mse_loss(Predict(embedding, random), target);
                var logProbabilities = DecodeTeacherForced(outputs, embedding, tokens);
                var reconstructionLoss = nn.functional.nll_loss(logProbabilities.view(-1, logProbabilities.shape[^1]), tokens.view(-1));
                var loss = _options.TradeOff * predictionLoss + (1 - _options.TradeOff) * reconstructionLoss;
                loss.backward();
                nn.utils.clip_grad_norm_(parameters(), _options.GradientBound);
                optimizer.step();
                mse += predictionLoss.item<float>() * batch.Length / architectures.Count;
                crossEntropy += reconstructionLoss.item<float>() * batch.Length / architectures.Count;
            }
        }
        return (mse, crossEntropy);
    }

    /// <summary>Predicted performance in [0, 1] of each architecture (evaluation mode).</summary>
    public double[] PredictArchitectures(IReadOnlyList<Architecture> architectures)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var (_, embedding) = Encode(Tokens(architectures));
        return Predict(embedding).to_type(float64).data<double>().ToArray();
    }

    /// <summary>Encodes and decodes (the autoencoder's reconstruction).</summary>
    public List<Architecture> Reconstruct(IReadOnlyList<Architecture> architectures)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var (outputs, embedding) = Encode(Tokens(architectures));
        return Decode(outputs, embedding);
    }

    /// <summary>NAO's search step: each encoder output moves by η along the gradient of the predicted performance
    /// (then is normalised again, and the embedding is their normalised mean); the moved representation is decoded.
    /// The gradient is taken once and every step size in <paramref name="stepSizes"/> reuses it, lazily, so a caller
    /// can stop once it has enough. Yields the decoded architectures with the predictor's value before and after.</summary>
    public IEnumerable<Improvement> Improve(IReadOnlyList<Architecture> architectures, IEnumerable<double> stepSizes)
    {
        Tensor leaf, gradient;
        double[] before;
        using (var scope = NewDisposeScope())
        {
            Tensor outputs;
            using (no_grad()) outputs = Encode(Tokens(architectures)).Outputs;
            var start = outputs.detach().requires_grad_(true);
            var predicted = Predict(Embed(start));
            gradient = autograd.grad([predicted.sum()], [start])[0].detach().MoveToOuterDisposeScope();
            leaf = start.detach().MoveToOuterDisposeScope();
            before = predicted.detach().to_type(float64).data<double>().ToArray();
        }
        using (leaf)
        using (gradient)
            foreach (double step in stepSizes)
            {
                using var _ = no_grad();
                using var scope = NewDisposeScope();
                var moved = nn.functional.normalize(leaf + step * gradient, 2, -1);
                var movedEmbedding = Embed(moved);
                var after = Predict(movedEmbedding).to_type(float64).data<double>().ToArray();
                yield return new Improvement(step, Decode(moved, movedEmbedding), before, after);
            }
    }

    /// <summary>One step size's outcome: the decoded architectures and the predicted performance before and after.</summary>
    public sealed record Improvement(double StepSize, List<Architecture> Architectures, double[] Before, double[] After);
}
