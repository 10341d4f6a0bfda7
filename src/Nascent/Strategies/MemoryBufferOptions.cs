namespace Nascent.Strategies;

/// <summary>
/// The memory-buffer controller ("Understanding Neural Architecture Search Techniques", Adam and Lorraine 2019):
/// earlier architectures and their rewards are kept and replayed, teacher-forced, at every controller update; an
/// optional auxiliary loss (<see cref="AuxiliaryWeight"/>, off by default) makes each hidden state recover the
/// decisions already taken.
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
    /// <summary>Weight of the auxiliary decision-recovery loss (<see cref="LstmController.AuxiliaryLoss"/>); 0: none,
    /// and the controller has no auxiliary heads. Off by default. Source: of arXiv 1904.00438 only the abstract could
    /// be read here (no section of the body): it says the hidden state is forced "to encode past decisions by training
    /// it with a memory buffer of previously sampled architectures", i.e. by the replayed buffer, and names no
    /// auxiliary loss; the paper gives no code. The loss is Nascent's own addition (0.1 until this change, the weight
    /// the earlier enas-memory figures were made with) and trains the very correlation `analyze controller`
    /// measures, so it must be asked for.</summary>
    [Setting("weight of the decision-recovery loss (0: off, the default)", Min = 0)]
    public double AuxiliaryWeight { get; init; } = 0;

    /// <summary>Whether the auxiliary decision-recovery loss is trained (and the controller has its heads).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool TrainsAuxiliaryLoss => AuxiliaryWeight > 0;

    public void Validate() => Settings.Validate(this);
}
