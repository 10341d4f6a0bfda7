namespace Nascent.Training;

/// <summary>
/// PARSEC's weight gradient with the memory of one architecture. Pass 1 scores each of the K sampled architectures
/// on the batch without gradients: log-likelihood ℓ_k = −Σ cross-entropy over the batch. ω = softmax(ℓ). Pass 2
/// back-propagates ω_k · (mean cross-entropy of architecture k) one architecture at a time; the gradients add up in
/// the parameters' <c>.grad</c>, and each graph is freed before the next is built. The sum is
/// Σ_k ω_k ∇(−ℓ_k)/B = −∇ log Σ_k exp(ℓ_k) / B: the gradient of the importance-weighted estimate of the batch's
/// log marginal likelihood, scaled like a mean loss, what holding all K graphs at once would give.
/// </summary>
public static class ImportanceWeightedUpdate
{
    /// <summary>Batch log-likelihoods of each architecture (no gradients; the network's current mode).</summary>
    public static double[] LogLikelihoods(CellNetwork network, Tensor images, Tensor labels, IReadOnlyList<Architecture> samples)
    {
        using var _ = no_grad();
        var result = new double[samples.Count];
        for (int k = 0; k < samples.Count; k++)
        {
            using var scope = NewDisposeScope();
            var logits = network.Forward(images, samples[k]);
            result[k] = -nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.Sum).item<float>();
        }
        return result;
    }

    /// <summary>Adds the importance-weighted gradient to the parameters' gradients (the caller clears them first).
    /// Samples with ω_k below <paramref name="minimumWeight"/> are skipped. Returns ℓ, ω and the ω-weighted mean loss.</summary>
    public static (double[] LogLikelihoods, double[] Weights, double Loss) Accumulate(CellNetwork network, Tensor images,
        Tensor labels, IReadOnlyList<Architecture> samples, double minimumWeight = 0)
    {
        var logLikelihoods = LogLikelihoods(network, images, labels, samples);
        var weights = Strategies.Parsec.ImportanceWeights(logLikelihoods);
        long batch = images.shape[0];
        double loss = 0;
        for (int k = 0; k < samples.Count; k++)
        {
            loss += weights[k] * -logLikelihoods[k] / batch;
            if (weights[k] < minimumWeight || weights[k] == 0) continue;
            using var scope = NewDisposeScope();
            var logits = network.Forward(images, samples[k]);
            var weighted = nn.functional.cross_entropy(logits, labels) * weights[k];
            weighted.backward(); // this architecture's graph is released here, before the next one is built
        }
        return (logLikelihoods, weights, loss);
    }
}
