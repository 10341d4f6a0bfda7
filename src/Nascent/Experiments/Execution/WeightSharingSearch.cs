using Nascent.Experiments.Search;

namespace Nascent.Experiments.Execution;

/// <summary>
/// The weight-sharing loop, for image and language supernets alike (<see cref="ISupernet"/>). Each epoch trains the
/// supernet, one batch at a time, with the strategy's own step (<see cref="IWeightSharingStrategy.TrainStep"/>), and
/// then asks, scores on one reward minibatch with the shared weights, and tells the strategy's evaluations of the
/// epoch. After the last epoch the strategy's candidates are ranked on a fixed part of the validation data, by
/// successive halving (<see cref="SuccessiveHalving"/>), and the best few re-scored on all of it; the best of those
/// is the result. With a checkpoint schedule it saves, every few epochs and after the last, the supernet (weights,
/// optimizer, data order) and the strategy's state; a resumed run continues from the epoch after its checkpoint.
/// </summary>
public sealed class WeightSharingSearch(TrialRunner runner, IProgress<ProgressEvent>? progress, CheckpointSchedule? checkpoints = null)
{
    /// <summary>Asks of a concentrated strategy repeat themselves; up to this many more asks look for a new candidate.</summary>
    private const int DuplicateRetries = 20;

    /// <param name="resumeFrom">A checkpoint this search wrote: the loop continues after it (the strategy's state
    /// is the caller's to import).</param>
    /// <param name="ranking">How the candidates are ranked and how many finalists are re-scored.</param>
    public Trial Run(IWeightSharingStrategy strategy, ISupernet supernet, int candidates, WeightSharingOptions ranking,
        CancellationToken cancellation = default, Checkpoint? resumeFrom = null)
    {
        strategy.Prepare(supernet);
        int firstEpoch = 0, reward = 0;
        if (resumeFrom is not null)
        {
            var loop = resumeFrom.State;
            firstEpoch = loop["epochs_done"]!.GetValue<int>();
            reward = loop["reward_batch"]!.GetValue<int>();
            supernet.RestoreCheckpoint(loop["supernet"]!.AsObject(), resumeFrom.Path);
        }
        progress?.Report(new PhaseStarted("supernet"));
        for (int epoch = firstEpoch; epoch < supernet.Epochs; epoch++)
        {
            TrainEpoch(strategy, supernet, epoch, cancellation);
            int evaluations = strategy.EvaluationsPerEpoch;
            var bar = new ProgressReporter(evaluations > 0 ? progress : null, $"controller {epoch + 1}/{supernet.Epochs}", evaluations, "arch");
            for (int i = 0; i < evaluations; i++)
            {
                var trial = runner.Run(strategy.Ask(), supernet.RewardEvaluator(reward++), TrialPhase.Controller, strategy, cancellation);
                bar.SetStatus(trial.Metrics is null ? "failed" : "reward " + supernet.Describe(trial.Metrics));
                bar.Advance();
            }
            bool last = epoch + 1 == supernet.Epochs;
            if (checkpoints is not null && supernet.CanCheckpoint && (checkpoints.Due(epoch + 1) || checkpoints.Every > 0 && last))
            {
                var loop = new JsonObject { ["epochs_done"] = epoch + 1, ["reward_batch"] = reward };
                Checkpoint.Write(checkpoints.Run, runner.Trials.Count, strategy.ExportState(), loop,
                    folder => loop["supernet"] = supernet.WriteCheckpoint(folder));
                progress?.Report(new CheckpointWritten(runner.Trials.Count, checkpoints.Run.File(Checkpoint.Folder)));
            }
            progress?.Report(new EpochFinished("supernet", epoch + 1, supernet.Epochs));
        }
        return Rank(strategy, supernet, candidates, ranking, cancellation);
    }

    private void TrainEpoch(IWeightSharingStrategy strategy, ISupernet supernet, int epoch, CancellationToken cancellation)
    {
        var bar = new ProgressReporter(progress, $"supernet {epoch + 1}/{supernet.Epochs}", supernet.StepsPerEpoch, "step");
        double smoothed = double.NaN;
        supernet.BeginEpoch();
        for (int step = 0; step < supernet.StepsPerEpoch; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            double loss;
            try
            {
                loss = supernet.Step(strategy.TrainStep);
            }
            catch (TrainingDivergedException e)
            {
                throw new NascentException($"The supernet diverged ({e.Message}); lower the learning rate.");
            }
            smoothed = double.IsNaN(smoothed) ? loss : 0.98 * smoothed + 0.02 * loss;
            bar.SetStatus(supernet.DescribeLoss(smoothed));
            bar.Advance();
        }
    }

    /// <summary>Ranks distinct asked candidates (or the strategy's own <see cref="IWeightSharingStrategy.RankingCandidates"/>)
    /// rung by rung on more and more of the supernet's ranking data, then re-scores the best few on the whole
    /// validation data. Ranking teaches the strategy nothing: it is not told.</summary>
    private Trial Rank(IWeightSharingStrategy strategy, ISupernet supernet, int candidates, WeightSharingOptions ranking,
        CancellationToken cancellation)
    {
        progress?.Report(new PhaseStarted("rank"));
        var left = DistinctCandidates(strategy, candidates);
        var plan = SuccessiveHalving.Plan(left.Count, ranking.RankingRungs, ranking.HalvingRate, ranking.FinalTop);
        var bar = new ProgressReporter(progress, "rank", plan.Sum(r => r.Candidates), "arch");
        Trial? leader = null;
        for (int rung = 0; rung < plan.Count; rung++)
        {
            var evaluator = supernet.RankingEvaluator(plan[rung].Share);
            var scored = new List<Trial>();
            foreach (var candidate in left)
            {
                var trial = runner.Run(candidate, evaluator, TrialPhase.Rank, null, cancellation);
                scored.Add(trial);
                if (trial.Status == TrialStatus.Done && (leader is null || trial.Objective > leader.Objective)) leader = trial;
                if (leader is not null)
                    bar.SetStatus((plan.Count > 1 ? $"rung {rung + 1}/{plan.Count}, " : "") + "best " + supernet.Describe(leader.Measured), leader.Objective);
                bar.Advance();
            }
            left = scored.Where(t => t.Status == TrialStatus.Done).OrderByDescending(t => t.Objective)
                .Take(SuccessiveHalving.Kept(plan, rung, ranking.FinalTop)).Select(t => t.Architecture).ToList();
            bar.Advance(plan[rung].Candidates - scored.Count);
            leader = null; // each rung's best on its own data
        }
        if (left.Count == 0) throw new NascentException("Every candidate failed; nothing to return (see failure reasons in trials.db).");
        progress?.Report(new PhaseStarted("final"));
        var finalEvaluator = supernet.FinalEvaluator();
        return left.Select(a => runner.Run(a, finalEvaluator, TrialPhase.Final, null, cancellation))
            .Where(t => t.Status == TrialStatus.Done).MaxBy(t => t.Objective)
            ?? throw new NascentException("Every finalist failed on the full validation set (see trials.db).");
    }

    /// <summary>The strategy's own ranking candidates (never asked for more: asking could make new, unscored
    /// architectures), or up to <paramref name="count"/> distinct asks, retrying a repeated ask a few times.</summary>
    private static List<Architecture> DistinctCandidates(IWeightSharingStrategy strategy, int count)
    {
        var own = strategy.RankingCandidates;
        if (own is not null) return own.Take(count).Distinct().ToList();
        var seen = new HashSet<Architecture>();
        var distinct = new List<Architecture>();
        for (int i = 0; i < count; i++)
        {
            var candidate = strategy.Ask();
            for (int r = 0; r < DuplicateRetries && seen.Contains(candidate); r++) candidate = strategy.Ask();
            if (seen.Add(candidate)) distinct.Add(candidate);
        }
        return distinct;
    }
}
