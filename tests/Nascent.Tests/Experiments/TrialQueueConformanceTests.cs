using Nascent.Core;
using Nascent.Evaluation;
using Nascent.Experiments.Execution;
using Nascent.Spaces;
using Nascent.Strategies;

namespace Nascent.Tests.Experiments;

/// <summary>
/// The queue's contract, run on every store (as Optuna's StorageTestCase): a claim takes the oldest waiting trial
/// once, however many workers claim at the same time; only the claim's lease can finish it; a stale heartbeat is
/// reaped into an interrupted trial and a retry, up to a cap; a heartbeat keeps a claim alive. Every case runs on
/// SQLite and on PostgreSQL (skipped, saying why, when no server is configured: <see cref="PostgresTest"/>).
/// </summary>
public sealed class TrialQueueConformanceTests : IDisposable
{
    private static readonly SearchSpace Space = Nb201Space.Instance;
    private readonly Data.TempFolder _temp = new();
    private readonly string _study = "t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A connection to this test's store, fresh and empty at the first call; a second call opens the same
    /// store over another connection, as a second process would.</summary>
    private ITrialStore Open(string kind) => kind == StoreKinds.Sqlite
        ? new TrialStore(Path.Combine(_temp.Path, TrialStore.FileName))
        : new PostgresTrialStore(PostgresTest.Study(_study));

    public void Dispose()
    {
        _temp.Dispose();
        if (PostgresTest.Address is not null)
        {
            using var store = new PostgresTrialStore(PostgresTest.Study(_study));
            store.Drop();
        }
    }

    private static Architecture Arch(int i) => Space.Sample(new SeededRandom((ulong)i));

    private static Trial Done(ClaimedTrial claim, double accuracy) =>
        new(claim.Id, Space.Parse(claim.Architecture), TrialStatus.Done, new Metrics(accuracy)) { Phase = claim.Phase };

    [Theory, SqliteStore, PostgresStore]
    public void Claims_take_the_oldest_waiting_trial_once(string kind)
    {
        using var store = Open(kind);
        int first = store.Enqueue(Arch(1), TrialPhase.Trial), second = store.Enqueue(Arch(2), TrialPhase.Rank);
        var a = store.Claim("w1")!;
        var b = store.Claim("w2")!;
        Assert.Null(store.Claim("w3"));
        Assert.Equal((first, first, Arch(1).ToString(), TrialPhase.Trial, "w1"), (a.Id, a.Root, a.Architecture, a.Phase, a.Worker));
        Assert.Equal((second, TrialPhase.Rank), (b.Id, b.Phase));
        Assert.NotEqual(a.Lease, b.Lease);
        Assert.All(store.Load(Space), t => Assert.Equal(TrialStatus.Running, t.Status));
    }

    [Theory, SqliteStore, PostgresStore]
    public void A_result_is_recorded_once_and_only_under_the_claims_lease(string kind)
    {
        using var store = Open(kind);
        store.Enqueue(Arch(1), TrialPhase.Trial);
        var claim = store.Claim("w1")!;
        Assert.False(store.Finish(Done(claim, 10), claim with { Lease = "someone-else" }));
        Assert.True(store.Finish(Done(claim, 50), claim));
        Assert.False(store.Finish(Done(claim, 60), claim)); // ran twice: the second result is not recorded
        Assert.False(store.Heartbeat(claim));
        var trial = Assert.Single(store.Load(Space));
        Assert.Equal((TrialStatus.Done, 50.0), (trial.Status, trial.Metrics!.Accuracy));
        Assert.Equal(50, Assert.Single(store.Outcomes([claim.Root], Space)).Metrics!.Accuracy);
    }

    [Theory, SqliteStore, PostgresStore]
    public void A_stale_trial_is_interrupted_and_retried_up_to_the_cap(string kind)
    {
        using var store = Open(kind);
        int root = store.Enqueue(Arch(1), TrialPhase.Trial);
        var first = store.Claim("w1")!;
        Thread.Sleep(50);
        Assert.Equal(1, store.Reap(TimeSpan.FromMilliseconds(10), maxAttempts: 2));
        Assert.False(store.Heartbeat(first)); // its lease is gone: the worker cancels its trial
        Assert.False(store.Finish(Done(first, 1), first));
        var retry = store.Claim("w2")!;
        Assert.Equal(root, retry.Root);
        Assert.NotEqual(first.Id, retry.Id);
        Assert.Empty(store.Outcomes([root], Space));
        Thread.Sleep(50);
        Assert.Equal(1, store.Reap(TimeSpan.FromMilliseconds(10), maxAttempts: 2)); // the second attempt was the last
        Assert.Null(store.Claim("w3"));
        var trials = store.Load(Space);
        Assert.Equal([TrialStatus.Interrupted, TrialStatus.Failed], trials.Select(t => t.Status));
        Assert.Equal([null, root], trials.Select(t => t.RetryOf));
        Assert.Contains("w1", trials[0].FailureReason);
        Assert.Contains("interrupted 2 times", trials[1].FailureReason);
        Assert.Equal(TrialStatus.Failed, Assert.Single(store.Outcomes([root], Space)).Status); // told as a failure
    }

    [Theory, SqliteStore, PostgresStore]
    public void A_heartbeat_keeps_a_claim_alive_and_a_finished_trial_is_never_reaped(string kind)
    {
        using var store = Open(kind);
        store.Enqueue(Arch(1), TrialPhase.Trial);
        store.Enqueue(Arch(2), TrialPhase.Trial);
        var alive = store.Claim("w1")!;
        var finished = store.Claim("w2")!;
        Assert.True(store.Finish(Done(finished, 5), finished));
        for (int i = 0; i < 4; i++)
        {
            Thread.Sleep(150);
            Assert.True(store.Heartbeat(alive));
            Assert.Equal(0, store.Reap(TimeSpan.FromMilliseconds(400), maxAttempts: 3));
        }
        Assert.Equal([TrialStatus.Running, TrialStatus.Done], store.Load(Space).Select(t => t.Status));
    }

    [Theory, SqliteStore, PostgresStore]
    public void A_dead_worker_is_reaped_by_name_and_in_process_trials_are_left_to_resume(string kind)
    {
        using var store = Open(kind);
        store.Enqueue(Arch(1), TrialPhase.Trial);
        var claim = store.Claim("coordinator")!;
        int begun = store.Begin(Arch(2), TrialPhase.Trial);
        Assert.Equal(1, store.MarkInterrupted()); // only the trial begun outside the queue
        Assert.True(store.Heartbeat(claim));
        Assert.Equal(1, store.ReapWorker("coordinator", maxAttempts: 3));
        var trials = store.Load(Space);
        Assert.Equal([(claim.Id, TrialStatus.Interrupted), (3, TrialStatus.Waiting), (begun, TrialStatus.Interrupted)],
            trials.Select(t => (t.Id, t.Status)));
    }

    [Theory, SqliteStore, PostgresStore]
    public void Workers_claiming_at_once_each_get_distinct_trials_and_every_trial_is_done_once(string kind)
    {
        const int Trials = 40, Workers = 6;
        using (var store = Open(kind))
            for (int i = 0; i < Trials; i++) store.Enqueue(Arch(i), TrialPhase.Trial);
        var claimed = new System.Collections.Concurrent.ConcurrentBag<int>();
        var threads = Enumerable.Range(0, Workers).Select(w => new Thread(() =>
        {
            using var store = Open(kind);
            while (store.Claim($"w{w}") is { } claim)
            {
                claimed.Add(claim.Id);
                Assert.True(store.Finish(Done(claim, claim.Id), claim));
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Equal(Enumerable.Range(1, Trials), claimed.Order());
        using var check = Open(kind);
        Assert.All(check.Load(Space), t => Assert.Equal((TrialStatus.Done, (double)t.Id), (t.Status, t.Metrics!.Accuracy)));
    }
}

