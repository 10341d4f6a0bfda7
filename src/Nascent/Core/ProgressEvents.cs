namespace Nascent.Core;

/// <summary>
/// What the library reports while it works, through an <see cref="IProgress{T}"/> of these (null: silent). The
/// library never writes to a console or a text writer for progress: a host renders the events (the CLI draws bars,
/// prints lines or writes JSON lines). Events are reported on the thread doing the work, in order.
/// </summary>
public abstract record ProgressEvent;

/// <summary>A task's progress (a <see cref="ProgressReporter"/>'s bar): <paramref name="Done"/> of
/// <paramref name="Total"/> <paramref name="Unit"/>s, <paramref name="Rate"/> units per second in this process (work
/// counted as skipped, a resumed run's earlier trials, left out), the estimated seconds left, the status text (a
/// smoothed loss, a reward, the best objective) and the best objective so far where the task has one.</summary>
public sealed record TaskProgress(string Task, long Done, long Total, string Unit, double Rate, double EtaSeconds,
    string Status, double? Best) : ProgressEvent;

/// <summary>A task ended: at its total, or early (a spent time budget). Follows the task's last
/// <see cref="TaskProgress"/>.</summary>
public sealed record TaskEnded(string Task, long Done, long Total) : ProgressEvent;

/// <summary>A line of information (what is being loaded, a run being resumed, an epoch's summary).</summary>
public sealed record ProgressMessage(string Text) : ProgressEvent;

/// <summary>A stage of a run began: <c>search</c>, <c>supernet</c>, <c>rank</c>, <c>final</c>, ...</summary>
public sealed record PhaseStarted(string Phase) : ProgressEvent;

/// <summary>An epoch of a stage finished (<paramref name="Epoch"/> counts from 1).</summary>
public sealed record EpochFinished(string Phase, int Epoch, int Epochs) : ProgressEvent;

/// <summary>A trial was written to the run's store and is being measured; <paramref name="Phase"/> is its phase as
/// trials.db names it (<c>trial</c>, <c>controller</c>, <c>rank</c>, <c>final</c>, <c>fixed</c>).</summary>
public sealed record TrialStarted(int Id, string Phase, string Arch) : ProgressEvent;

/// <summary>A trial measured in this process finished: its status (<c>done</c> or <c>failed</c>), objective (null
/// when it failed) and seconds. Trials a resumed run reads back are not reported.</summary>
public sealed record TrialFinished(int Id, string Phase, string Arch, string Status, double? Objective, double Seconds)
    : ProgressEvent;

/// <summary>A checkpoint of <paramref name="Trials"/> finished trials was written into <paramref name="Path"/>.</summary>
public sealed record CheckpointWritten(int Trials, string Path) : ProgressEvent;

/// <summary>Helpers for reporting on a possibly absent progress.</summary>
public static class ProgressExtensions
{
    /// <summary>Reports a <see cref="ProgressMessage"/> (nothing when <paramref name="progress"/> is null).</summary>
    public static void Message(this IProgress<ProgressEvent>? progress, string text) => progress?.Report(new ProgressMessage(text));
}
