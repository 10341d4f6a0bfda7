namespace Nascent.Experiments.Execution;

/// <summary>A waiting trial a worker claimed from the queue: running under <see cref="Lease"/> (a fresh token per
/// claim) until the worker finishes it or its heartbeat goes stale. Only the holder of the lease can record its
/// result, so a trial run twice (a worker thought dead that was only slow) is recorded once.</summary>
public sealed record ClaimedTrial(int Id, int Root, string Architecture, TrialPhase Phase, string Lease, string Worker);
