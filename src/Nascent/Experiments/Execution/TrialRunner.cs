namespace Nascent.Experiments.Execution;

/// <summary>Runs one trial: written to the store before and after, a divergence recorded as a failed trial with its
/// reason, and the result told to the strategy (when there is one) either way. A resumed run first replays the
/// trials its store holds: each one the search asks for again is read back, not measured again. Each trial measured
/// is reported (<see cref="TrialStarted"/>, <see cref="TrialFinished"/>) to <paramref name="progress"/>.</summary>
public sealed class TrialRunner(ITrialStore store, IProgress<ProgressEvent>? progress = null)
{
    private readonly Queue<Trial> _replay = new();

    /// <summary>Every finished trial of the run, in order (a resumed run's earlier ones included).</summary>
    public IReadOnlyList<Trial> Trials => _trials;
    private readonly List<Trial> _trials = [];

    /// <summary>True while finished trials of the store wait to be asked for again.</summary>
    public bool Replaying => _replay.Count > 0;

    /// <summary>Continues a run whose store holds <paramref name="finished"/> (done and failed trials, in id order):
    /// the first <paramref name="restored"/> ones belong to the checkpoint the loop restarts from; the rest are
    /// replayed as the loop asks for them.</summary>
    public void Resume(IReadOnlyList<Trial> finished, int restored)
    {
        if (restored > finished.Count)
            throw new NascentException($"The checkpoint counts {restored} finished trials but {store.Location} holds {finished.Count}: the run directory is inconsistent.");
        _trials.AddRange(finished.Take(restored));
        foreach (var trial in finished.Skip(restored)) _replay.Enqueue(trial);
    }

    public Trial Run(Architecture architecture, IEvaluator evaluator, TrialPhase phase, ISearchStrategy? tellTo,
        CancellationToken cancellation = default)
    {
        var trial = _replay.TryDequeue(out var recorded) ? Replay(recorded, architecture, evaluator, phase)
            : Measure(architecture, evaluator, phase, cancellation);
        _trials.Add(trial);
        tellTo?.Tell(trial);
        return trial;
    }

    private Trial Replay(Trial recorded, Architecture architecture, IEvaluator evaluator, TrialPhase phase)
    {
        if (!recorded.Architecture.Equals(architecture) || recorded.Phase != phase)
            throw new NascentException($"The run in {store.Location} does not continue as it began: its trial {recorded.Id} " +
                $"({recorded.Phase}) was {recorded.Architecture}, the resumed search asks {architecture} ({phase}). " +
                "Resume it with the Nascent version that started it.");
        evaluator.Recount(architecture);
        return recorded;
    }

    private Trial Measure(Architecture architecture, IEvaluator evaluator, TrialPhase phase, CancellationToken cancellation)
    {
        int id = store.Begin(architecture, phase);
        string phaseName = TrialStore.PhaseName(phase), arch = architecture.ToString();
        progress?.Report(new TrialStarted(id, phaseName, arch));
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
        trial = trial with { Phase = phase };
        store.Finish(trial);
        progress?.Report(new TrialFinished(id, phaseName, arch, trial.Status.ToString().ToLowerInvariant(),
            trial.Status == TrialStatus.Done ? trial.Objective : null, trial.Seconds));
        return trial;
    }
}
