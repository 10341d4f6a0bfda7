namespace Nascent.Experiments.Execution;

/// <summary>
/// Where a run keeps its trials and its settings: the source of truth a resumed run is rebuilt from, and the queue
/// between a coordinator and its workers. In one process a trial is written when it starts (running) and when it
/// ends (done, or failed with its reason). Through the queue the coordinator writes asked trials as waiting; a worker
/// claims one (running under a lease, with a heartbeat from the database's clock), and finishes it under the same
/// lease; a reaper marks trials whose heartbeat went stale interrupted and queues a retry. Each write is one
/// transaction; a finished trial never changes. Implementations share their SQL (<see cref="SqlTrialStore"/>).
/// </summary>
public interface ITrialStore : IDisposable
{
    /// <summary>Where the store is (a file name, or a server's address without its password): named in messages.</summary>
    string Location { get; }

    /// <summary>Records a trial as running and returns its id (ids grow in the order trials start).</summary>
    int Begin(Architecture architecture, TrialPhase phase);

    /// <summary>Records how a running trial ended (done with metrics, or failed with its reason).</summary>
    void Finish(Trial trial);

    /// <summary>Marks every trial still running outside the queue (begun by a coordinator that died) interrupted;
    /// returns how many.</summary>
    int MarkInterrupted();

    /// <summary>Every trial in the order its search asked it (retries beside their first attempt), read back into
    /// architectures of <paramref name="space"/>.</summary>
    IReadOnlyList<Trial> Load(SearchSpace space);

    string? GetMeta(string key);

    void SetMeta(string key, string value);

    /// <summary>Queues trials for workers (status waiting) in one transaction; returns their ids, in order.</summary>
    IReadOnlyList<int> Enqueue(IReadOnlyList<Architecture> architectures, TrialPhase phase);

    /// <summary>Queues one trial; returns its id.</summary>
    int Enqueue(Architecture architecture, TrialPhase phase);

    /// <summary>Claims the oldest waiting trial for <paramref name="worker"/> in one transaction, or null when none
    /// waits.</summary>
    ClaimedTrial? Claim(string worker);

    /// <summary>Renews the claim's heartbeat; false when the lease is lost (the trial was reaped).</summary>
    bool Heartbeat(ClaimedTrial claim);

    /// <summary>Records the result of a claimed trial if the claim still holds its lease; false (nothing written)
    /// when it does not.</summary>
    bool Finish(Trial trial, ClaimedTrial claim);

    /// <summary>Marks running trials whose heartbeat is older than <paramref name="staleAfter"/> (by the database's
    /// clock) interrupted, and queues a retry of each, up to <paramref name="maxAttempts"/> attempts of one asked
    /// trial; the last attempt is recorded failed instead. Returns how many it marked.</summary>
    int Reap(TimeSpan staleAfter, int maxAttempts);

    /// <summary>As <see cref="Reap"/>, for the trials <paramref name="worker"/> claimed, whatever their heartbeat
    /// (a worker known dead: the coordinator that held the run before a resume).</summary>
    int ReapWorker(string worker, int maxAttempts);

    /// <summary>The finished attempt (done or failed) of each asked trial of <paramref name="roots"/> that has one.</summary>
    IReadOnlyList<Trial> Outcomes(IReadOnlyCollection<int> roots, SearchSpace space);
}
