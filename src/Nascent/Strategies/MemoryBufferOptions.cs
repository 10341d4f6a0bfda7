using Nascent.Core;

namespace Nascent.Strategies;

/// <summary>
/// The memory-buffer controller ("Understanding Neural Architecture Search Techniques", Adam and Lorraine 2019):
/// earlier architectures and their rewards are kept and replayed, teacher-forced, at every controller update, and an
/// auxiliary loss makes each hidden state recover the decisions already taken.
/// </summary>
public sealed record MemoryBufferOptions
{
    /// <summary>Architectures kept (the oldest leaves first).</summary>
    public int Size { get; init; } = 100;
    /// <summary>Buffered architectures replayed at each controller update.</summary>
    public int Replays { get; init; } = 10;
    /// <summary>Weight of the replayed REINFORCE terms relative to the fresh samples.</summary>
    public double ReplayWeight { get; init; } = 1.0;
    /// <summary>Weight of the auxiliary decision-recovery loss.</summary>
    public double AuxiliaryWeight { get; init; } = 0.1;

    public void Validate()
    {
        if (Size < 1) throw new NascentException($"--memory-size must be at least 1 (got {Size}).");
        if (Replays < 0) throw new NascentException($"--memory-replays must not be negative (got {Replays}).");
        if (ReplayWeight < 0) throw new NascentException($"--memory-replay-weight must not be negative (got {ReplayWeight}).");
        if (AuxiliaryWeight < 0) throw new NascentException($"--memory-aux-weight must not be negative (got {AuxiliaryWeight}).");
    }
}
