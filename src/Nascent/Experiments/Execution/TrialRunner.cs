namespace Nascent.Experiments.Execution;

/// <summary>Runs trials: written to the store before and after, a divergence recorded as a failed trial with its
/// reason, and the result told to the strategy (when there is one) either way. One trial at a time
/// (<see cref="Run"/>) it measures in this process; a batch (<see cref="RunBatch"/>) goes through the store's queue,
/// measured by workers or, with <see cref="EvaluateHere"/>, by this process, and is told in trial order. A resumed
/// run first replays the trials its store holds: each one the search asks for again is read back, not measured
/// again, and one still queued is waited for. Each trial measured is reported (<see cref="TrialStarted"/>,
/// <see cref="TrialFinished"/>) to <paramref name="progress"/>.</summary>
public sealed class TrialRunner(ITrialStore store, IProgress<ProgressEvent>? progress = null)
{
    /// <summary>The worker name of a coordinator that evaluates queued trials itself.</summary>
    public const string CoordinatorWorker = "coordinator";

    /// <summary>A trial of the store that a resumed search asks again: finished (read back) or still queued.</summary>
    private sealed record StoredTrial(Trial? Finished, int Root, Architecture Architecture, TrialPhase Phase);

    private readonly Queue<StoredTrial> _replay = new();

    /// <summary>Every finished trial of the run, in order (a resumed run's earlier ones included).</summary>
    public IReadOnlyList<Trial> Trials => _trials;
    private readonly List<Trial> _trials = [];

    /// <summary>How queued trials are run: heartbeats, staleness, attempts.</summary>
    public QueueSettings Queue { get; init; } = new();

    /// <summary>Whether this process evaluates queued trials itself (no workers), or only waits for them.</summary>
    public bool EvaluateHere { get; init; } = true;

    /// <summary>Pause before each evaluation of a queued trial here (a stand-in for work in benchmarks).</summary>
    public int DelayMilliseconds { get; init; }

    /// <summary>True while trials of the store wait to be asked for again.</summary>
    public bool Replaying => _replay.Count > 0;

    /// <summary>Continues a run whose store holds <paramref name="stored"/> (every trial, in the order asked): the
    /// first <paramref name="restored"/> finished ones belong to the checkpoint the loop restarts from; the other
    /// finished ones are replayed as the loop asks for them, and the queued ones waited for.</summary>
    public void Resume(IReadOnlyList<Trial> stored, int restored)
    {
        var asked = stored.GroupBy(t => t.Root).Select(g => (Attempts: g.ToList(), Finished: g.FirstOrDefault(Finished))).ToList();
        int finished = asked.Count(a => a.Finished is not null);
        if (restored > finished)
            throw new NascentException($"The checkpoint counts {restored} finished trials but {store.Location} holds {finished}: the run directory is inconsistent.");
        foreach (var (attempts, done) in asked)
        {
            if (done is not null)
            {
                if (_trials.Count < restored) _trials.Add(done);
                else _replay.Enqueue(new StoredTrial(done, done.Root, done.Architecture, done.Phase));
            }
            else if (attempts.Any(t => t.Status is TrialStatus.Waiting or TrialStatus.Running))
                _replay.Enqueue(new StoredTrial(null, attempts[0].Root, attempts[0].Architecture, attempts[0].Phase));
            // else: begun in one process that died (interrupted): asked again, it runs under a new id
        }
    }

    private static bool Finished(Trial t) => t.Status is TrialStatus.Done or TrialStatus.Failed;

    public Trial Run(Architecture architecture, IEvaluator evaluator, TrialPhase phase, ISearchStrategy? tellTo,
        CancellationToken cancellation = default)
    {
        if (_replay.TryPeek(out var next) && next.Finished is null) // queued before the resume: wait for it
            return RunBatch([architecture], evaluator, phase, tellTo, cancellation)[0];
        var trial = _replay.TryDequeue(out var recorded) ? Replay(recorded, architecture, evaluator, phase)
            : Measure(architecture, evaluator, phase, cancellation);
        _trials.Add(trial);
        tellTo?.Tell(trial);
        return trial;
    }

    /// <summary>Runs <paramref name="architectures"/> through the queue, waits for all of them and tells them in the
    /// order given (synchronous batch: the same results whoever measured them, in whatever order).</summary>
    public IReadOnlyList<Trial> RunBatch(IReadOnlyList<Architecture> architectures, IEvaluator evaluator, TrialPhase phase,
        ISearchStrategy? tellTo, CancellationToken cancellation = default)
    {
        var slots = new Trial?[architectures.Count];
        var pending = new Dictionary<int, int>(); // asked trial (root id) -> slot
        var fresh = new List<int>(); // slots asked for the first time: queued together, in one transaction
        for (int i = 0; i < architectures.Count; i++)
        {
            if (_replay.TryDequeue(out var stored))
            {
                Check(stored, architectures[i], phase);
                if (stored.Finished is { } finished)
                {
                    evaluator.Recount(architectures[i]);
                    slots[i] = finished;
                    continue;
                }
                pending[stored.Root] = i;
            }
            else fresh.Add(i);
        }
        var ids = fresh.Count == 0 ? [] : store.Enqueue(fresh.Select(i => architectures[i]).ToList(), phase);
        for (int k = 0; k < fresh.Count; k++) pending[ids[k]] = fresh[k];
        foreach (var trial in Wait(pending.Keys.ToList(), architectures[0].Space, evaluator, all: true, cancellation))
            slots[pending[trial.Root]] = trial;
        foreach (var trial in slots)
        {
            _trials.Add(trial!);
            tellTo?.Tell(trial!);
        }
        return slots!;
    }

    /// <summary>Queues one trial without waiting (an asynchronous search); returns the asked trial's id.</summary>
    public int Submit(Architecture architecture, TrialPhase phase) => store.Enqueue(architecture, phase);

    /// <summary>Waits until at least one of <paramref name="roots"/> has finished; returns those that have, in the
    /// order they were seen, recorded among <see cref="Trials"/> and told.</summary>
    public IReadOnlyList<Trial> Completed(IReadOnlyCollection<int> roots, SearchSpace space, IEvaluator evaluator, ISearchStrategy? tellTo,
        CancellationToken cancellation = default)
    {
        var done = Wait(roots, space, evaluator, all: false, cancellation);
        foreach (var trial in done)
        {
            _trials.Add(trial);
            tellTo?.Tell(trial);
        }
        return done;
    }

    /// <summary>Polls the store until all (or any) of <paramref name="roots"/> have a finished attempt, reaping stale
    /// trials and, with <see cref="EvaluateHere"/>, evaluating waiting ones meanwhile.</summary>
    private List<Trial> Wait(IReadOnlyCollection<int> roots, SearchSpace space, IEvaluator evaluator, bool all, CancellationToken cancellation)
    {
        var worker = new TrialWorker(store, space, evaluator, Queue, CoordinatorWorker, progress) { DelayMilliseconds = DelayMilliseconds };
        var waiting = new HashSet<int>(roots);
        var local = new HashSet<int>();
        var done = new List<Trial>();
        int pause = 5;
        while (waiting.Count > 0)
        {
            foreach (var trial in store.Outcomes(waiting, space))
            {
                if (!waiting.Remove(trial.Root)) continue;
                if (!local.Contains(trial.Id))
                {
                    evaluator.Recount(trial.Architecture); // measured by a worker: an evaluator that counts counts it here
                    ReportFinished(progress, trial);
                }
                done.Add(trial);
            }
            if (waiting.Count == 0 || !all && done.Count > 0) break;
            cancellation.ThrowIfCancellationRequested();
            if (EvaluateHere && worker.Step(cancellation) is { } measured)
            {
                local.Add(measured.Id);
                pause = 5;
                continue;
            }
            if (!EvaluateHere) store.Reap(Queue.StaleSpan, Queue.MaxAttempts);
            cancellation.WaitHandle.WaitOne(pause);
            pause = Math.Min(50, pause * 2); // a batch's end is seen within 50 ms
        }
        return done;
    }

    private void Check(StoredTrial recorded, Architecture architecture, TrialPhase phase)
    {
        if (!recorded.Architecture.Equals(architecture) || recorded.Phase != phase)
            throw new NascentException($"The run in {store.Location} does not continue as it began: its trial {recorded.Root} " +
                $"({recorded.Phase}) was {recorded.Architecture}, the resumed search asks {architecture} ({phase}). " +
                "Resume it with the Nascent version and --batch that started it.");
    }

    private Trial Replay(StoredTrial recorded, Architecture architecture, IEvaluator evaluator, TrialPhase phase)
    {
        Check(recorded, architecture, phase);
        evaluator.Recount(architecture);
        return recorded.Finished!;
    }

    private Trial Measure(Architecture architecture, IEvaluator evaluator, TrialPhase phase, CancellationToken cancellation)
    {
        int id = store.Begin(architecture, phase);
        progress?.Report(new TrialStarted(id, TrialStore.PhaseName(phase), architecture.ToString()));
        var trial = Measure(id, architecture, evaluator, phase, cancellation);
        store.Finish(trial);
        ReportFinished(progress, trial);
        return trial;
    }

    /// <summary>Evaluates trial <paramref name="id"/>: done with its metrics, or failed with the reason (a divergence,
    /// an accuracy that is not a number).</summary>
    internal static Trial Measure(int id, Architecture architecture, IEvaluator evaluator, TrialPhase phase, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        Trial trial;
        try
        {
            var metrics = evaluator.Evaluate(architecture, cancellation);
            trial = double.IsFinite(metrics.Accuracy)
                ? new Trial(id, architecture, TrialStatus.Done, metrics, Seconds: clock.Elapsed.TotalSeconds)
                : new Trial(id, architecture, TrialStatus.Failed, null, "accuracy is not a number", clock.Elapsed.TotalSeconds);
        }
        catch (TrainingDivergedException e)
        {
            trial = new Trial(id, architecture, TrialStatus.Failed, null, e.Message, clock.Elapsed.TotalSeconds);
        }
        return trial with { Phase = phase };
    }

    internal static void ReportFinished(IProgress<ProgressEvent>? progress, Trial trial) =>
        progress?.Report(new TrialFinished(trial.Id, TrialStore.PhaseName(trial.Phase), trial.Architecture.ToString(),
            trial.Status.ToString().ToLowerInvariant(), trial.Status == TrialStatus.Done ? trial.Objective : null, trial.Seconds));
}
