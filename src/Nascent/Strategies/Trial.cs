using Nascent.Evaluation;
using Nascent.Spaces;

namespace Nascent.Strategies;

/// <summary>A trial's state in the store. Interrupted: it was running when its process died; a resumed run ran it
/// again under a new id.</summary>
public enum TrialStatus { Running, Done, Failed, Interrupted }

/// <summary>One evaluated (or failed) architecture. A failed trial is a result too: strategies are told of it.</summary>
public sealed record Trial(int Id, Architecture Architecture, TrialStatus Status, Metrics? Metrics = null,
    string? FailureReason = null, double Seconds = 0)
{
    /// <summary>Where in the run the trial belongs (e.g. "controller", "rank", "final"), as the store records it.</summary>
    public string Phase { get; init; } = "";

    /// <summary>The objective, with a failed trial as the worst possible value.</summary>
    public double Objective => Status == TrialStatus.Done && Metrics is not null ? Metrics.Accuracy : double.NegativeInfinity;
}
