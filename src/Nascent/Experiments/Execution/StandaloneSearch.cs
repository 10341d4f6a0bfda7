namespace Nascent.Experiments.Execution;

/// <summary>The plain ask/evaluate/tell loop: each asked architecture is measured by the evaluator (for example
/// trained from scratch, or looked up in a table); the best trial is the result. With a checkpoint schedule it
/// saves the strategy's state every few trials; a resumed run starts from the runner's restored trials. Through the
/// queue (<see cref="QueueSettings"/>) it asks a batch of trials before telling any: synchronously (the whole batch,
/// told in trial order; checkpoints at batch ends) or asynchronously (each result told as it arrives, a new trial
/// asked in its place).</summary>
public sealed class StandaloneSearch(TrialRunner runner, IProgress<ProgressEvent>? progress, CheckpointSchedule? checkpoints = null)
{
    /// <summary>Runs up to <paramref name="trials"/> trials; <paramref name="stop"/>, when given, ends the run early
    /// once it returns true (a spent simulated time budget). <paramref name="queue"/>: through the store's queue
    /// (null: one trial at a time in this process).</summary>
    public Trial Run(ISearchStrategy strategy, IEvaluator evaluator, int trials, CancellationToken cancellation = default,
        Func<bool>? stop = null, QueueSettings? queue = null)
    {
        progress?.Report(new PhaseStarted("search"));
        var bar = new ProgressReporter(progress, "search", trials, "trial");
        Trial? best = null;
        foreach (var restored in runner.Trials)
        {
            evaluator.Recount(restored.Architecture);
            best = Better(best, restored);
        }
        bar.Skip(runner.Trials.Count);
        void Told(Trial trial, bool replayed)
        {
            best = Better(best, trial);
            bar.SetStatus(best is null ? "no success yet" : $"best {best.Objective:F2}%", best?.Objective);
            if (replayed) bar.Skip(1);
            else bar.Advance();
        }
        if (queue is { Async: true }) RunAsync(strategy, evaluator, trials, queue.Batch, cancellation, stop, Told);
        else if (queue is not null) RunBatches(strategy, evaluator, trials, queue.Batch, cancellation, stop, Told);
        else
            for (int i = runner.Trials.Count; i < trials && !(stop?.Invoke() ?? false); i++)
            {
                bool replayed = runner.Replaying;
                var trial = runner.Run(strategy.Ask(), evaluator, TrialPhase.Trial, strategy, cancellation);
                if (!replayed) CheckpointAfter(strategy, i, i + 1);
                Told(trial, replayed);
            }
        bar.End();
        return best ?? throw new NascentException("Every candidate failed; nothing to return (see failure reasons in trials.db).");
    }

    private void RunBatches(ISearchStrategy strategy, IEvaluator evaluator, int trials, int batch, CancellationToken cancellation,
        Func<bool>? stop, Action<Trial, bool> told)
    {
        for (int i = runner.Trials.Count; i < trials && !(stop?.Invoke() ?? false);)
        {
            bool replayed = runner.Replaying;
            var asked = Enumerable.Range(0, Math.Min(batch, trials - i)).Select(_ => strategy.Ask()).ToList();
            var results = runner.RunBatch(asked, evaluator, TrialPhase.Trial, strategy, cancellation);
            if (!replayed || !runner.Replaying) CheckpointAfter(strategy, i, i + results.Count);
            foreach (var trial in results) told(trial, replayed);
            i += results.Count;
        }
    }

    /// <summary>Keeps <paramref name="inFlight"/> trials queued, telling each result as it arrives: the order (and so
    /// the result) depends on the workers' speed. No checkpoints: such a run is not resumed.</summary>
    private void RunAsync(ISearchStrategy strategy, IEvaluator evaluator, int trials, int inFlight, CancellationToken cancellation,
        Func<bool>? stop, Action<Trial, bool> told)
    {
        var queued = new HashSet<int>();
        int asked = runner.Trials.Count;
        while (runner.Trials.Count < trials)
        {
            while (queued.Count < inFlight && asked < trials && !(stop?.Invoke() ?? false))
            {
                queued.Add(runner.Submit(strategy.Ask(), TrialPhase.Trial));
                asked++;
            }
            if (queued.Count == 0) break;
            foreach (var trial in runner.Completed(queued, strategy.Space, evaluator, strategy, cancellation))
            {
                queued.Remove(trial.Root);
                told(trial, false);
            }
        }
    }

    /// <summary>Writes a checkpoint when the trials from <paramref name="from"/> to <paramref name="to"/> passed a
    /// multiple of the interval (one trial at a time: exactly at it; in batches: at the end of the batch).</summary>
    private void CheckpointAfter(ISearchStrategy strategy, int from, int to)
    {
        if (checkpoints is null || checkpoints.Every <= 0 || to / checkpoints.Every == from / checkpoints.Every) return;
        Checkpoint.Write(checkpoints.Run, runner.Trials.Count, strategy.ExportState());
        progress?.Report(new CheckpointWritten(runner.Trials.Count, checkpoints.Run.File(Checkpoint.Folder)));
    }

    private static Trial? Better(Trial? best, Trial trial) =>
        trial.Status == TrialStatus.Done && (best is null || trial.Objective > best.Objective) ? trial : best;
}
