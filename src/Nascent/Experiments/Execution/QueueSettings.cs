namespace Nascent.Experiments.Execution;

/// <summary>
/// How a one-at-a-time search spreads its trials through the store's queue. <see cref="Batch"/> trials are asked
/// before any is told; in synchronous mode (the default) the search waits for the whole batch and tells it in trial
/// order, so the result depends on the batch size and the seed, never on how many workers ran it or how fast.
/// Batch 1 without workers is the plain one-process loop. The heartbeat settings are the workers' (Optuna's
/// heartbeat_interval and grace_period): written to config.json so every worker of the run uses the same.
/// </summary>
public sealed record QueueSettings
{
    [Setting("trials asked before any is told (one-at-a-time strategies); synchronous: the result depends only on N and the seed", Min = 1)]
    public int Batch { get; init; } = 1;
    [Setting("tell results in the order they finish, keeping --batch trials in flight: keeps workers busy, but the result is NOT reproducible")]
    public bool Async { get; init; }
    [Setting("seconds between a worker's heartbeats", Min = 0, MinExclusive = true)]
    public double Heartbeat { get; init; } = 2;
    [Setting("seconds without a heartbeat after which a running trial is marked interrupted and queued again", Min = 0, MinExclusive = true)]
    public double StaleAfter { get; init; } = 10;
    [Setting("attempts of one trial (its first run and its retries) before it is recorded failed", Min = 1)]
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Whether trials go through the queue at all (else the one-process loop, as before the queue).</summary>
    public bool Queued(int workers) => Batch > 1 || Async || workers > 0;

    public TimeSpan StaleSpan => TimeSpan.FromSeconds(StaleAfter);

    public void Validate()
    {
        Settings.Validate(this);
        if (StaleAfter <= Heartbeat)
            throw new NascentException($"--stale-after ({StaleAfter} s) must be longer than --heartbeat ({Heartbeat} s), or live workers are reaped.");
    }
}
