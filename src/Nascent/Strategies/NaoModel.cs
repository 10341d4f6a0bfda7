namespace Nascent.Strategies;

/// <summary>
/// NAO's encoder, performance predictor and decoder (Luo et al. 2018) over NAO's token sequence of an architecture
/// (<see cref="NaoVocabulary"/>: (input, op) pairs over one shared vocabulary on spaces with input decisions, one
/// token range per decision otherwise; token 0 is the decoder's start symbol).
/// Encoder: embedding, LSTM (reading (input, op) pairs, their two embeddings side by side, one pair per step where the
/// sequence is made of pairs, as NAO_V1's encoder with source length 40 and encoder length 20), each output
/// L2-normalised; the architecture embedding is their normalised mean.
/// Predictor: MLP (ReLU, dropout) to one sigmoid output, the performance scaled to [0, 1]. Decoder: an LSTM started
/// from (embedding, embedding), attention over the encoder outputs (NAO's: scores of a projected decoder output
/// against the encoder outputs, then tanh of a projection of [context; output]), a softmax over the tokens; at each
/// position only the tokens of that position's decision that the space allows after the choices so far can be
/// decoded (input positions inputs, operation positions operations, as NAO's decoder), so every decoded sequence is
/// a valid architecture. Weights are initialised from the strategy's generator and dropout masks drawn
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
    private readonly NaoVocabulary _vocabulary;
    private readonly NaoOptions _options;
    private readonly Tensor _positionMask; // [positions, vocabulary]: true where a token belongs to the position's decision

    public NaoModel(SearchSpace space, NaoOptions options, SeededRandom random) : base(nameof(NaoModel))
    {
        options.Validate();
        _space = space;
        _vocabulary = NaoVocabulary.For(space);
        _options = options;
        int vocabulary = _vocabulary.Size, h = options.HiddenSize;
        encoderEmbedding = nn.Embedding(vocabulary, options.EmbeddingSize);
        encoder = nn.LSTM(_vocabulary.TokensPerEncoderStep * options.EmbeddingSize, h, options.EncoderLayers, batchFirst: true);
        mlp = new ModuleList<Linear>();
        for (int l = 0; l < options.MlpLayers; l++) mlp.Add(nn.Linear(l == 0 ? h : options.MlpHiddenSize, options.MlpHiddenSize));
        regressor = nn.Linear(options.MlpLayers == 0 ? h : options.MlpHiddenSize, 1);
        decoderEmbedding = nn.Embedding(vocabulary, h);
        decoder = nn.LSTM(h, h, 1, batchFirst: true);
        attentionInput = nn.Linear(h, h, hasBias: false);
        attentionOutput = nn.Linear(2 * h, h, hasBias: false);
        output = nn.Linear(h, vocabulary);
        RegisterComponents();

        var mask = new bool[_vocabulary.Length * vocabulary];
        for (int p = 0; p < _vocabulary.Length; p++)
            foreach (int token in _vocabulary.Tokens(p)) mask[p * vocabulary + token] = true;
        _positionMask = tensor(mask, [_vocabulary.Length, vocabulary]);
        // PyTorch's default bound for linear and recurrent layers, 1 / sqrt(fan in).
        ParameterInit.Uniform(this, random, p => 1.0 / Math.Sqrt(p.shape.Length > 1 ? p.shape[^1] : h));
    }

    public SearchSpace Space => _space;
    public NaoVocabulary Vocabulary => _vocabulary;

    /// <summary>Token ids of architectures as the model reads them: [count, positions] (<see cref="NaoVocabulary"/>).</summary>
    public Tensor Tokens(IReadOnlyList<Architecture> architectures)
    {
        int length = _vocabulary.Length;
        var ids = new long[architectures.Count * length];
        for (int a = 0; a < architectures.Count; a++)
        {
            var tokens = _vocabulary.Encode(architectures[a]);
            for (int t = 0; t < length; t++) ids[a * length + t] = tokens[t];
        }
        return tensor(ids, [architectures.Count, length]);
    }

    /// <summary>The encoder: normalised outputs [B, steps, H] and the architecture embeddings [B, H].</summary>
    public (Tensor Outputs, Tensor Embedding) Encode(Tensor tokens)
    {
        var embedded = encoderEmbedding.call(tokens);
        int ratio = _vocabulary.TokensPerEncoderStep;
        if (ratio > 1) embedded = embedded.reshape(tokens.shape[0], tokens.shape[1] / ratio, ratio * _options.EmbeddingSize);
        var (outputs, _, _) = encoder.call(embedded);
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
    public List<Architecture> Decode(Tensor encoderOutputs, Tensor embedding) =>
        DecodeTokens(encoderOutputs, embedding).Select(_vocabulary.Decode).ToList();

    /// <summary>Greedy decoding to token sequences: position by position, the best-scoring token among those of the
    /// position's decision whose option the space allows after the choices decoded so far (a position's sibling
    /// decisions later in the sequence count as option 0 until decoded; no space's rules depend on them).</summary>
    public List<int[]> DecodeTokens(Tensor encoderOutputs, Tensor embedding)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        int batch = (int)embedding.shape[0], length = _vocabulary.Length, vocabulary = _vocabulary.Size;
        var choices = new int[batch][];
        var sequences = new int[batch][];
        for (int b = 0; b < batch; b++) { choices[b] = new int[length]; sequences[b] = new int[length]; }
        var state = InitialState(embedding);
        var input = zeros(batch, 1, dtype: int64);
        for (int t = 0; t < length; t++)
        {
            var (decoded, hNext, cNext) = decoder.call(decoderEmbedding.call(input), state);
            state = (hNext, cNext);
            var logits = Attend(decoded, encoderOutputs).view(batch, vocabulary).data<float>().ToArray();
            int decision = _vocabulary.Positions[t];
            var tokens = _vocabulary.Tokens(t);
            var next = new long[batch];
            for (int b = 0; b < batch; b++)
            {
                var prefix = new ArraySegment<int>(choices[b], 0, decision);
                int best = -1;
                for (int o = 0; o < tokens.Count; o++)
                    if (_space.IsAllowed(decision, o, prefix) && (best < 0 || logits[b * vocabulary + tokens[o]] > logits[b * vocabulary + tokens[best]]))
                        best = o;
                choices[b][decision] = best;
                sequences[b][t] = tokens[best];
                next[b] = tokens[best];
            }
            input = tensor(next, [batch, 1]);
        }
        return sequences.ToList();
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
