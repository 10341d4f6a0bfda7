namespace Nascent.Experiments.Execution;

/// <summary>
/// Claims trials from the store's queue and evaluates them: a worker process (<c>nascent worker</c>), or the
/// coordinator itself when no worker runs. While a trial runs, a heartbeat is sent every
/// <see cref="QueueSettings.Heartbeat"/> seconds; a heartbeat refused (the trial was reaped: this worker was taken
/// for dead) cancels the evaluation, and a result is recorded only under the claim's lease. Before each claim the
/// worker reaps stale trials, as Optuna's workers do before they start a trial.
/// </summary>
public sealed class TrialWorker(ITrialStore store, SearchSpace space, IEvaluator evaluator, QueueSettings queue, string name,
    IProgress<ProgressEvent>? progress = null)
{
    /// <summary>The meta key the coordinator sets when its search has ended: workers stop when nothing waits.</summary>
    public const string ClosedKey = "queue_closed";

    /// <summary>Optional pause before each evaluation (milliseconds): a stand-in for work in benchmarks and tests.</summary>
    public int DelayMilliseconds { get; init; }

    public string Name => name;

    /// <summary>Asked while idle: false ends the worker (its coordinator's process is gone).</summary>
    public Func<bool>? KeepGoing { get; init; }

    /// <summary>Reaps, then claims and evaluates one trial; returns the trial recorded, or null when none waited or
    /// the claim was lost.</summary>
    public Trial? Step(CancellationToken cancellation = default)
    {
        store.Reap(queue.StaleSpan, queue.MaxAttempts);
        return store.Claim(name) is { } claim ? Evaluate(claim, cancellation) : null;
    }

    /// <summary>Evaluates trials until the coordinator closes the queue and nothing waits; returns how many this
    /// worker recorded.</summary>
    public int Run(CancellationToken cancellation = default)
    {
        int recorded = 0;
        var idle = TimeSpan.FromMilliseconds(20);
        while (!cancellation.IsCancellationRequested)
        {
            if (Step(cancellation) is not null)
            {
                recorded++;
                idle = TimeSpan.FromMilliseconds(20);
                continue;
            }
            if (store.GetMeta(ClosedKey) == "true" || KeepGoing?.Invoke() == false) break;
            cancellation.WaitHandle.WaitOne(idle);
            idle = TimeSpan.FromMilliseconds(Math.Min(50, idle.TotalMilliseconds * 2)); // back off while idle, to a poll (a read) every 50 ms
        }
        cancellation.ThrowIfCancellationRequested();
        return recorded;
    }

    private Trial? Evaluate(ClaimedTrial claim, CancellationToken cancellation)
    {
        var architecture = space.Parse(claim.Architecture);
        progress?.Report(new TrialStarted(claim.Id, SqlTrialStore.PhaseName(claim.Phase), claim.Architecture));
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var period = TimeSpan.FromSeconds(queue.Heartbeat);
        using var heartbeat = new Timer(_ =>
        {
            try
            {
                if (!store.Heartbeat(claim)) lost.Cancel();
            }
            catch (NascentException)
            {
                // A heartbeat that cannot be written is retried at the next tick; the reaper decides.
            }
            catch (ObjectDisposedException)
            {
                // A last tick after the trial ended.
            }
        }, null, period, period);
        Trial trial;
        try
        {
            if (DelayMilliseconds > 0) lost.Token.WaitHandle.WaitOne(DelayMilliseconds);
            lost.Token.ThrowIfCancellationRequested();
            trial = TrialRunner.Measure(claim.Id, architecture, evaluator, claim.Phase, lost.Token);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return null; // the lease is lost: another attempt owns this trial now
        }
        heartbeat.Dispose();
        if (!store.Finish(trial, claim)) return null;
        TrialRunner.ReportFinished(progress, trial);
        return trial with { RetryOf = claim.Root == claim.Id ? null : claim.Root };
    }
}
