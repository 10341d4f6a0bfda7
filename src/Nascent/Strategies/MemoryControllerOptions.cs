namespace Nascent.Strategies;

/// <summary>The options of <c>enas-memory</c>: the ENAS controller (<see cref="ControllerOptions"/>, the same
/// defaults as enas) and its memory buffer.</summary>
public sealed record MemoryControllerOptions : IStrategyOptions
{
    public ControllerOptions Controller { get; init; } = new();
    public MemoryBufferOptions Memory { get; init; } = new();

    public void Validate() => Core.Settings.Validate(this);
}
