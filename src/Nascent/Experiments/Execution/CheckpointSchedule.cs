namespace Nascent.Experiments.Execution;

/// <summary>When a search writes its <see cref="Checkpoint"/>: every <see cref="Every"/> trials (one-at-a-time
/// searches) or supernet epochs (weight-sharing searches), into <see cref="Run"/>; never when Every is 0 (a resume
/// then replays the whole run from its trials).</summary>
public sealed record CheckpointSchedule(RunDirectory Run, int Every)
{
    public bool Due(int count) => Every > 0 && count % Every == 0;
}
