using Nascent.Core;
using Nascent.Data;
using Nascent.Evaluation;
using Nascent.Nn;
using Nascent.Spaces;
using Nascent.Strategies;
using Nascent.Training;
using static TorchSharp.torch;

namespace Nascent.Experiments;

/// <summary>
/// The weight-sharing loop: train the supernet for a number of epochs, one batch per path the strategy names; then
/// rank the strategy's candidates on a fixed set of validation images with the shared weights; then score the best
/// few on the whole validation set. The best of those is the result.
/// </summary>
public sealed class WeightSharingSearch(TrialRunner runner, TextWriter? progress)
{
    public const string RankPhase = "rank";
    public const string FinalPhase = "final";

    public Trial Run(IWeightSharingStrategy strategy, CellNetwork supernet, DataSplits data, TrainingOptions training,
        int candidates, int rankingImages, int finalTop, ulong seed, CancellationToken cancellation = default)
    {
        TrainSupernet(strategy, supernet, data.Train, training, seed, cancellation);

        int ranked = Math.Min(rankingImages, data.Validation.Count);
        var (rankImages, rankLabels) = data.Validation.Slice(0, ranked);
        int evalBatch = Math.Min(500, ranked);
        var rankEvaluator = new SharedWeightsEvaluator(supernet, rankImages, rankLabels, evalBatch);
        var bar = new ProgressBar(progress, "rank", candidates, "arch");
        double best = double.NegativeInfinity;
        for (int i = 0; i < candidates; i++)
        {
            var trial = runner.Run(strategy.Ask(), rankEvaluator, RankPhase, strategy, cancellation);
            best = Math.Max(best, trial.Objective);
            bar.SetStatus($"best {best:F2}%");
            bar.Advance();
        }

        var finalEvaluator = new SharedWeightsEvaluator(supernet, data.Validation.Images, data.Validation.Labels,
            Math.Min(500, data.Validation.Count));
        var top = runner.Trials.Where(t => t.Status == TrialStatus.Done).OrderByDescending(t => t.Objective)
            .Select(t => t.Architecture).Distinct().Take(finalTop).ToList();
        if (top.Count == 0) throw new NascentException("Every candidate failed; nothing to return (see failure reasons in trials.db).");
        return top.Select(a => runner.Run(a, finalEvaluator, FinalPhase, null, cancellation))
            .Where(t => t.Status == TrialStatus.Done).MaxBy(t => t.Objective)
            ?? throw new NascentException("Every finalist failed on the full validation set (see trials.db).");
    }

    private void TrainSupernet(IWeightSharingStrategy strategy, CellNetwork supernet, ImageDataset train,
        TrainingOptions training, ulong seed, CancellationToken cancellation)
    {
        var sampler = new BatchSampler(train, Math.Min(training.BatchSize, train.Count), seed, dropLast: true);
        long steps = (long)training.Epochs * sampler.BatchesPerEpoch;
        using var trainer = new Trainer(supernet, training, steps);
        var bar = new ProgressBar(progress, "supernet", steps, "step");
        double smoothed = double.NaN;
        for (long step = 0; step < steps; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var (images, labels) = sampler.Next();
            var path = strategy.NextTrainingPath();
            double loss;
            try
            {
                (loss, _) = trainer.Step(images, labels, path);
            }
            catch (TrainingDivergedException e)
            {
                throw new NascentException($"The supernet diverged ({e.Message}); lower --lr.");
            }
            smoothed = double.IsNaN(smoothed) ? loss : 0.98 * smoothed + 0.02 * loss;
            bar.SetStatus($"loss {smoothed:F3}");
            bar.Advance();
        }
    }
}
