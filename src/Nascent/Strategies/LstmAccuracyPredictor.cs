namespace Nascent.Strategies;

/// <summary>
/// The recurrent accuracy predictor of PNAS and DPP-Net: an LSTM reads an architecture's tokens
/// (<see cref="SearchSpace.ToTokens"/>), a linear layer and a sigmoid map its last hidden state to the accuracy
/// scaled to [0, 1]. Weights come from the caller's generator and minibatches are shuffled with it, so a fit depends
/// on the seed only, also on parallel threads.
/// </summary>
public sealed class LstmAccuracyPredictor : nn.Module
{
    private readonly Embedding embedding;
    private readonly LSTM lstm;
    private readonly Linear regressor;
    private readonly SearchSpace _space;

    public LstmAccuracyPredictor(SearchSpace space, int embeddingSize, int hiddenSize, SeededRandom random)
        : base(nameof(LstmAccuracyPredictor))
    {
        if (embeddingSize < 1 || hiddenSize < 1) throw new NascentException("The accuracy predictor's embedding and hidden sizes must be at least 1.");
        _space = space;
        embedding = nn.Embedding(space.VocabularySize, embeddingSize);
        lstm = nn.LSTM(embeddingSize, hiddenSize, 1, batchFirst: true);
        regressor = nn.Linear(hiddenSize, 1);
        RegisterComponents();
        ParameterInit.Uniform(this, random, p => 1.0 / Math.Sqrt(p.shape.Length > 1 ? p.shape[^1] : hiddenSize));
    }

    private Tensor Forward(IReadOnlyList<Architecture> architectures)
    {
        int length = _space.Decisions.Count;
        var ids = new long[architectures.Count * length];
        for (int a = 0; a < architectures.Count; a++)
        {
            var tokens = _space.ToTokens(architectures[a]);
            for (int t = 0; t < length; t++) ids[a * length + t] = tokens[t];
        }
        var (outputs, _, _) = lstm.call(embedding.call(tensor(ids, [architectures.Count, length])));
        return sigmoid(regressor.call(outputs.select(1, length - 1))).view(-1);
    }

    /// <summary>Fits the targets (in [0, 1]) by mean squared error with Adam, <paramref name="epochs"/> passes of
    /// shuffled minibatches. Returns the last epoch's mean loss.</summary>
    public double Fit(IReadOnlyList<Architecture> architectures, IReadOnlyList<double> targets, int epochs, int batchSize,
        double learningRate, SeededRandom random)
    {
        if (architectures.Count != targets.Count) throw new ArgumentException("One target per architecture.", nameof(targets));
        if (architectures.Count == 0) return double.NaN;
        using var optimizer = optim.Adam(parameters(), learningRate);
        train();
        double loss = 0;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var order = random.Permutation(architectures.Count);
            loss = 0;
            for (int start = 0; start < order.Length; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var batch = order.Skip(start).Take(batchSize).ToArray();
                var target = tensor(batch.Select(i => (float)targets[i]).ToArray());
                optimizer.zero_grad();
                var mse = nn.functional.mse_loss(Forward(batch.Select(i => architectures[i]).ToList()), target);
                mse.backward();
                optimizer.step();
                loss += mse.item<float>() * batch.Length / architectures.Count;
            }
        }
        return loss;
    }

    /// <summary>Predicted accuracy in [0, 1] of each architecture.</summary>
    public double[] Predict(IReadOnlyList<Architecture> architectures)
    {
        if (architectures.Count == 0) return [];
        eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        return Forward(architectures).to_type(float64).data<double>().ToArray();
    }
}
