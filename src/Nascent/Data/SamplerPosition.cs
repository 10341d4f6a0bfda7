namespace Nascent.Data;

/// <summary>Where a <see cref="BatchSampler"/> stands: the epoch, and how many images of that epoch's order it has handed out.</summary>
public readonly record struct SamplerPosition(int Epoch, int Index);
