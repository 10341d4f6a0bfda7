namespace Nascent.Strategies;

/// <summary>
/// The memory-buffer controller ("Understanding Neural Architecture Search Techniques", Adam and Lorraine 2019):
/// earlier architectures and their rewards are kept and replayed, teacher-forced, at every controller update, and an
/// auxiliary loss makes each hidden state recover the decisions already taken.
/// </summary>
public sealed record MemoryBufferOptions
{
    /// <summary>Architectures kept (the oldest leaves first).</summary>
    [Setting("architectures kept in the buffer", Min = 1)]
    public int Size { get; init; } = 100;
    /// <summary>Buffered architectures replayed at each controller update.</summary>
    [Setting("buffered architectures replayed per update", Min = 0)]
    public int Replays { get; init; } = 10;
    /// <summary>Weight of the replayed REINFORCE terms relative to the fresh samples.</summary>
    [Setting("weight of the replayed REINFORCE terms", Min = 0)]
    public double ReplayWeight { get; init; } = 1.0;
    /// <summary>Weight of the auxiliary decision-recovery loss.</summary>
    [Setting("weight of the decision-recovery loss", Min = 0)]
    public double AuxiliaryWeight { get; init; } = 0.1;

    public void Validate() => Settings.Validate(this);
}
