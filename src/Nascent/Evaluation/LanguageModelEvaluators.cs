namespace Nascent.Evaluation;

/// <summary>
/// How a language model's perplexity becomes the objective every strategy maximises: ENAS's reward c / ppl with
/// c = 80 (ptb_enas_controller's reward), in percent, so <c>Metrics.Accuracy / 100</c> is exactly ENAS's reward.
/// The perplexity itself travels in <c>Metrics.Extra["perplexity"]</c>.
/// </summary>
public static class LanguageModelScore
{
    public const double RewardConstant = 80;
    public const string PerplexityKey = "perplexity";

    public static Metrics Of(double perplexity, double loss, long parameters, double? testPerplexity = null)
    {
        var extra = new Dictionary<string, double> { [PerplexityKey] = perplexity };
        if (testPerplexity is double test) extra["test_perplexity"] = test;
        return new Metrics(100 * RewardConstant / perplexity, loss, parameters) { Extra = extra };
    }

    public static double PerplexityOf(Metrics metrics) => metrics.Extra.TryGetValue(PerplexityKey, out var p)
        ? p : 100 * RewardConstant / metrics.Accuracy;
}

/// <summary>Perplexity of an architecture's path through a trained supernet on a fixed range of windows of a batched
/// stream, the hidden state starting at zero (ENAS's valid_rl graph does not carry it either).</summary>
public sealed class SharedWeightsPerplexityEvaluator(CellLanguageModel supernet, Tensor batched, int bptt, int firstWindow,
    int? windows) : IEvaluator
{
    public Metrics Evaluate(Architecture architecture, CancellationToken cancellation = default)
    {
        var (perplexity, loss, _) = Perplexity.Measure(supernet, architecture, batched, bptt, firstWindow, windows);
        return LanguageModelScore.Of(perplexity, loss, CellParameters(supernet.Space, supernet.Options));
    }

    /// <summary>Parameters of a standalone model of the space: every architecture has the same count (one matrix per
    /// node), so it is computed, not built.</summary>
    public static long CellParameters(RecurrentCellSpace space, LanguageModelOptions options)
    {
        long h = options.HiddenSize, v = options.Vocabulary;
        return v * h + v + (options.TieWeights ? 0 : v * h) + 2 * h * 2 * h + space.LastNode * h * 2 * h;
    }
}

/// <summary>Trains each candidate's own language model from scratch (same seed for all) and scores its validation
/// perplexity: the evaluator of one-at-a-time strategies (rs, rea, reinforce, nao) on text.</summary>
public sealed class LanguageModelTrainingEvaluator(LanguageModelData data, LanguageModelOptions options, TrainingOptions training,
    int bptt, ulong seed, IProgress<ProgressEvent>? progress) : IEvaluator
{
    public Metrics Evaluate(Architecture architecture, CancellationToken cancellation = default)
    {
        using var model = new CellLanguageModel((RecurrentCellSpace)architecture.Space, options, new SeededRandom(seed), architecture);
        LanguageModelTraining.Train(model, data, training, bptt, progress, cancellation);
        var (perplexity, loss, _) = Perplexity.Measure(model, null, data.ValidationEval, bptt);
        return LanguageModelScore.Of(perplexity, loss, model.ParameterCount());
    }
}
