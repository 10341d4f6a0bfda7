using System.Diagnostics.CodeAnalysis;

namespace Nascent.Strategies;

/// <summary>A trial's state in the store. Waiting: asked by the coordinator, queued for a worker to claim.
/// Interrupted: it was running when its process died (or its worker's heartbeat went stale); it ran again under a
/// new id (a resumed run's new trial, or the queue's retry).</summary>
public enum TrialStatus { Running, Done, Failed, Interrupted, Waiting }

/// <summary>Where in a run a trial belongs: a one-at-a-time search's trial; a weight-sharing search's controller
/// reward (one minibatch), ranking, or final score on the whole validation set; InstaNAS's fixed selections.</summary>
public enum TrialPhase { Trial, Controller, Rank, Final, Fixed }

/// <summary>One evaluated (or failed) architecture. A failed trial is a result too: strategies are told of it.</summary>
public sealed record Trial(int Id, Architecture Architecture, TrialStatus Status, Metrics? Metrics = null,
    string? FailureReason = null, double Seconds = 0)
{
    public TrialPhase Phase { get; init; }

    /// <summary>The trial this one retries (the first attempt's id), when the queue ran it again after its worker
    /// stopped; null for a first attempt.</summary>
    public int? RetryOf { get; init; }

    /// <summary>The asked trial this attempt belongs to: its own id, or the first attempt's.</summary>
    public int Root => RetryOf ?? Id;

    /// <summary>Whether it finished with metrics (then <see cref="Metrics"/> is not null).</summary>
    [MemberNotNullWhen(true, nameof(Metrics))]
    public bool Succeeded => Status == TrialStatus.Done && Metrics is not null;

    /// <summary>The metrics of a trial that succeeded; asking a failed trial for them is a programming error.</summary>
    public Metrics Measured => Metrics ?? throw new InvalidOperationException($"Trial {Id} has no metrics ({Status}: {FailureReason}).");

    /// <summary>The objective, with a failed trial as the worst possible value.</summary>
    public double Objective => Succeeded ? Metrics.Accuracy : double.NegativeInfinity;
}
