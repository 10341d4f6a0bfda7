namespace Nascent.Nn;

/// <summary>
/// How a network is sized. <see cref="Cells"/> is cells per stage (three stages, two reductions between them);
/// <see cref="Channels"/> the first stage's width, doubled at each reduction.
/// <see cref="TrackRunningStats"/>: batch norm keeps running statistics (a network trained on its own) or always
/// normalises with the batch (a supernet, whose paths must not mix their statistics).
/// </summary>
public sealed record NetworkOptions(
    int InputChannels,
    int Classes,
    int Channels = 16,
    int Cells = 1,
    bool TrackRunningStats = true)
{
    public void Validate()
    {
        if (InputChannels < 1) throw new NascentException($"Input channels must be at least 1 (got {InputChannels}).");
        if (Classes < 2) throw new NascentException($"A classifier needs at least 2 classes (got {Classes}).");
        if (Channels < 1) throw new NascentException($"--channels must be at least 1 (got {Channels}).");
        if (Cells < 1) throw new NascentException($"--cells must be at least 1 (got {Cells}).");
    }
}
