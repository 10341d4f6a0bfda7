using System.Text.Json.Nodes;
using Nascent.Core;
using Nascent.Data;
using Nascent.Evaluation;
using Nascent.Nn;
using Nascent.Strategies;
using Nascent.Training;
using static TorchSharp.torch;

namespace Nascent.Experiments;

/// <summary>
/// The weight-sharing loop. Each epoch trains the supernet, one batch per path the strategy names, and then (for a
/// strategy that learns, ENAS) asks, scores on one validation minibatch with the shared weights, and tells a number of
/// architectures. After the last epoch, the strategy's candidates are ranked on a fixed set of validation images and
/// the best few are re-scored on the whole validation set; the best of those is the result. With a checkpoint
/// schedule it saves, every few epochs and after the last, the supernet's weights, the optimizer, the data order's
/// position and the strategy's state; a resumed run continues from the epoch after its checkpoint.
/// </summary>
public sealed class WeightSharingSearch(TrialRunner runner, TextWriter? progress, CheckpointSchedule? checkpoints = null)
{
    private const string SupernetFile = "supernet.dat", OptimizerFile = "optimizer.dat";

    public const string ControllerPhase = "controller";
    public const string RankPhase = "rank";
    public const string FinalPhase = "final";

    /// <param name="resumeFrom">A checkpoint this search wrote: the loop continues after it (the strategy's state
    /// is the caller's to import).</param>
    public Trial Run(IWeightSharingStrategy strategy, CellNetwork supernet, DataSplits data, TrainingOptions training,
        WeightSharingOptions options, ulong seed, CancellationToken cancellation = default, Checkpoint? resumeFrom = null)
    {
        var sampler = new BatchSampler(data.Train, Math.Min(training.BatchSize, data.Train.Count), seed, dropLast: true);
        using var trainer = new Trainer(supernet, training, (long)training.Epochs * sampler.BatchesPerEpoch);
        int rewardImages = Math.Min(options.RewardImages, data.Validation.Count);
        int rewardBatches = data.Validation.Count / rewardImages, rewardBatch = 0;
        // DARTS's α steps and PARSEC's bilevel π updates draw validation batches of the training batch size.
        var validation = new BatchSampler(data.Validation, Math.Min(training.BatchSize, data.Validation.Count), seed + 1, dropLast: true);
        var context = new StepContext(supernet, trainer, sampler, validation, data);
        if (strategy is IImportanceWeightedStrategy planned) planned.Plan((long)training.Epochs * sampler.BatchesPerEpoch);
        int firstEpoch = 0;
        if (resumeFrom is not null)
        {
            var loop = resumeFrom.State;
            firstEpoch = loop["epochs_done"]!.GetValue<int>();
            rewardBatch = loop["reward_batch"]!.GetValue<int>();
            supernet.load(resumeFrom.File(SupernetFile));
            trainer.Restore(resumeFrom.File(OptimizerFile), loop["steps"]!.GetValue<long>());
            sampler.Restore(Position(loop["train_position"]!));
            validation.Restore(Position(loop["validation_position"]!));
        }
        for (int epoch = firstEpoch; epoch < training.Epochs; epoch++)
        {
            TrainEpoch(strategy, context, epoch, training.Epochs, cancellation);
            int evaluations = strategy.EvaluationsPerEpoch;
            var bar = new ProgressBar(evaluations > 0 ? progress : null, $"controller {epoch + 1}/{training.Epochs}", evaluations, "arch");
            for (int i = 0; i < evaluations; i++)
            {
                var (images, labels) = data.Validation.Slice(rewardImages * (rewardBatch++ % rewardBatches), rewardImages);
                var trial = runner.Run(strategy.Ask(), new SharedWeightsEvaluator(supernet, images, labels, rewardImages),
                    ControllerPhase, strategy, cancellation);
                bar.SetStatus($"reward {trial.Objective:F1}%");
                bar.Advance();
            }
            if (checkpoints is not null && (checkpoints.Due(epoch + 1) || (checkpoints.Every > 0 && epoch + 1 == training.Epochs)))
                WriteCheckpoint(checkpoints.Run, strategy, context, epoch + 1, rewardBatch);
        }
        return Rank(strategy, supernet, data, options, cancellation);
    }

    /// <summary>Everything the loop needs to go on after <paramref name="epochsDone"/> epochs (the strategy's state
    /// included); see <see cref="Run"/> for the reading side.</summary>
    private void WriteCheckpoint(RunDirectory run, IWeightSharingStrategy strategy, StepContext context, int epochsDone,
        int rewardBatch) =>
        Checkpoint.Write(run, runner.Trials.Count, strategy.ExportState(), new JsonObject
        {
            ["epochs_done"] = epochsDone, ["steps"] = context.Trainer.StepsTaken, ["reward_batch"] = rewardBatch,
            ["train_position"] = Json(context.Train.Position), ["validation_position"] = Json(context.Validation.Position),
        }, folder =>
        {
            context.Supernet.save(Path.Combine(folder, SupernetFile));
            context.Trainer.SaveOptimizer(Path.Combine(folder, OptimizerFile));
        });

    private static JsonObject Json(SamplerPosition position) => new() { ["epoch"] = position.Epoch, ["index"] = position.Index };

    private static SamplerPosition Position(JsonNode json) => new(json["epoch"]!.GetValue<int>(), json["index"]!.GetValue<int>());

    private sealed record StepContext(CellNetwork Supernet, Trainer Trainer, BatchSampler Train, BatchSampler Validation,
        DataSplits Data);

    private void TrainEpoch(IWeightSharingStrategy strategy, StepContext context, int epoch, int epochs,
        CancellationToken cancellation)
    {
        var bar = new ProgressBar(progress, $"supernet {epoch + 1}/{epochs}", context.Train.BatchesPerEpoch, "step");
        double smoothed = double.NaN;
        for (int step = 0; step < context.Train.BatchesPerEpoch; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var (images, labels) = context.Train.Next();
            double loss;
            string extra = "";
            try
            {
                switch (strategy)
                {
                    case IImportanceWeightedStrategy parsec:
                        loss = ImportanceWeightedStep(parsec, context, images, labels, out extra);
                        break;
                    case IDifferentiableStrategy darts:
                        (loss, _) = context.Trainer.Step(images, labels, x => context.Supernet.ForwardMixed(x, darts.MixingWeights(detached: true)));
                        var (valImages, valLabels) = context.Validation.Next();
                        darts.UpdateArchitecture(context.Supernet, valImages, valLabels);
                        break;
                    default:
                        (loss, _) = context.Trainer.Step(images, labels, strategy.NextTrainingPath());
                        break;
                }
            }
            catch (TrainingDivergedException e)
            {
                throw new NascentException($"The supernet diverged ({e.Message}); lower --lr.");
            }
            smoothed = double.IsNaN(smoothed) ? loss : 0.98 * smoothed + 0.02 * loss;
            bar.SetStatus($"loss {smoothed:F3}{extra}");
            bar.Advance();
        }
    }

    /// <summary>PARSEC's step: the importance-weighted weight update (one architecture's graph at a time), the
    /// distribution's update from the training batch's likelihoods or a validation batch's, and now and then a
    /// probe of the most probable architecture.</summary>
    private static double ImportanceWeightedStep(IImportanceWeightedStrategy strategy, StepContext context, Tensor images,
        Tensor labels, out string status)
    {
        long step = context.Trainer.StepsTaken;
        var samples = strategy.NextTrainingSamples();
        var (logLikelihoods, _, loss) = context.Trainer.StepImportanceWeighted(images, labels, samples, strategy.MinimumWeight);
        if (strategy.UpdatesAt(step))
        {
            if (strategy.UpdatesOnValidation)
            {
                var (valImages, valLabels) = context.Validation.Next();
                logLikelihoods = ImportanceWeightedUpdate.LogLikelihoods(context.Supernet, valImages, valLabels, samples);
            }
            strategy.Update(samples, logLikelihoods);
        }
        status = "";
        if (strategy.ProbeEvery > 0 && (step + 1) % strategy.ProbeEvery == 0)
        {
            int count = Math.Min(strategy.ProbeImages, context.Data.Validation.Count);
            var (probeImages, probeLabels) = context.Data.Validation.Slice(0, count);
            var (accuracy, _) = Accuracy.Measure(context.Supernet, strategy.MostProbable(), probeImages, probeLabels, Math.Min(500, count));
            strategy.RecordProbe(step + 1, accuracy);
        }
        return loss;
    }

    /// <summary>Ranks distinct asked candidates on a fixed validation subset, then re-scores the best few on the
    /// whole validation set. Ranking teaches the strategy nothing: it is not told.</summary>
    private Trial Rank(IWeightSharingStrategy strategy, CellNetwork supernet, DataSplits data, WeightSharingOptions options,
        CancellationToken cancellation)
    {
        int ranked = Math.Min(options.RankingImages, data.Validation.Count);
        var (rankImages, rankLabels) = data.Validation.Slice(0, ranked);
        var rankEvaluator = new SharedWeightsEvaluator(supernet, rankImages, rankLabels, Math.Min(500, ranked));
        var bar = new ProgressBar(progress, "rank", options.Candidates, "arch");
        var seen = new HashSet<Spaces.Architecture>();
        var rankedTrials = new List<Trial>();
        const int duplicateRetries = 20; // a concentrated controller repeats itself; don't spend evaluations on repeats
        for (int i = 0; i < options.Candidates; i++)
        {
            var candidate = strategy.Ask();
            for (int r = 0; r < duplicateRetries && seen.Contains(candidate); r++) candidate = strategy.Ask();
            if (!seen.Add(candidate)) { bar.Advance(); continue; }
            var trial = runner.Run(candidate, rankEvaluator, RankPhase, null, cancellation);
            rankedTrials.Add(trial);
            double rankedBest = rankedTrials.Max(t => t.Objective);
            bar.SetStatus($"best {rankedBest:F2}%", rankedBest);
            bar.Advance();
        }

        var finalEvaluator = new SharedWeightsEvaluator(supernet, data.Validation.Images, data.Validation.Labels,
            Math.Min(500, data.Validation.Count));
        var top = rankedTrials.Where(t => t.Status == TrialStatus.Done).OrderByDescending(t => t.Objective)
            .Take(options.FinalTop).Select(t => t.Architecture).ToList();
        if (top.Count == 0) throw new NascentException("Every candidate failed; nothing to return (see failure reasons in trials.db).");
        return top.Select(a => runner.Run(a, finalEvaluator, FinalPhase, null, cancellation))
            .Where(t => t.Status == TrialStatus.Done).MaxBy(t => t.Objective)
            ?? throw new NascentException("Every finalist failed on the full validation set (see trials.db).");
    }
}
