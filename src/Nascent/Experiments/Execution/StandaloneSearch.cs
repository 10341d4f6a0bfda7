namespace Nascent.Experiments.Execution;

/// <summary>The plain ask/evaluate/tell loop: each asked architecture is measured by the evaluator (for example
/// trained from scratch, or looked up in a table); the best trial is the result. With a checkpoint schedule it
/// saves the strategy's state every few trials; a resumed run starts from the runner's restored trials.</summary>
public sealed class StandaloneSearch(TrialRunner runner, IProgress<ProgressEvent>? progress, CheckpointSchedule? checkpoints = null)
{
    /// <summary>Runs up to <paramref name="trials"/> trials; <paramref name="stop"/>, when given, ends the run early
    /// once it returns true (a spent simulated time budget).</summary>
    public Trial Run(ISearchStrategy strategy, IEvaluator evaluator, int trials, CancellationToken cancellation = default,
        Func<bool>? stop = null)
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
        for (int i = runner.Trials.Count; i < trials && !(stop?.Invoke() ?? false); i++)
        {
            bool replayed = runner.Replaying;
            var trial = runner.Run(strategy.Ask(), evaluator, TrialPhase.Trial, strategy, cancellation);
            best = Better(best, trial);
            if (!replayed && checkpoints is not null && checkpoints.Due(i + 1))
            {
                Checkpoint.Write(checkpoints.Run, runner.Trials.Count, strategy.ExportState());
                progress?.Report(new CheckpointWritten(runner.Trials.Count, checkpoints.Run.File(Checkpoint.Folder)));
            }
            bar.SetStatus(best is null ? "no success yet" : $"best {best.Objective:F2}%", best?.Objective);
            if (replayed) bar.Skip(1);
            else bar.Advance();
        }
        bar.End();
        return best ?? throw new NascentException("Every candidate failed; nothing to return (see failure reasons in trials.db).");
    }

    private static Trial? Better(Trial? best, Trial trial) =>
        trial.Status == TrialStatus.Done && (best is null || trial.Objective > best.Objective) ? trial : best;
}
