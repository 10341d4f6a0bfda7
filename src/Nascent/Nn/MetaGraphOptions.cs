namespace Nascent.Nn;

/// <summary>One stage of an InstaNAS meta-graph: <see cref="Blocks"/> blocks of width <see cref="Channels"/>, the
/// first with <see cref="Stride"/>.</summary>
public sealed record MetaGraphStage(int Channels, int Blocks, int Stride);

/// <summary>
/// The shape of an InstaNAS meta-graph (MobileNetV2-style): a 3 x 3 stem, then stages of blocks, then global pooling
/// and a linear classifier. <see cref="Stages"/> is written as the command line spells it: comma-separated
/// <c>WIDTHxBLOCKSsSTRIDE</c>, e.g. <c>16x1s1,24x2s2,32x2s2,64x1s2</c>.
/// </summary>
public sealed record MetaGraphOptions(int InputChannels, int Classes, int StemChannels, string Stages)
{
    /// <summary>Sized for 28 x 28 and 32 x 32 inputs on a CPU: 6 blocks, resolution 28 -> 14 -> 7 -> 7 -> 4.</summary>
    public const string DefaultStages = "16x1s2,24x2s2,32x2s1,48x1s2";
    public const int DefaultStemChannels = 16;

    public IReadOnlyList<MetaGraphStage> ParseStages()
    {
        var stages = new List<MetaGraphStage>();
        foreach (var part in Stages.Split(',', StringSplitOptions.TrimEntries))
        {
            var x = part.Split('x');
            var s = x.Length == 2 ? x[1].Split('s') : [];
            if (x.Length != 2 || s.Length != 2
                || !int.TryParse(x[0], NumberStyles.None, CultureInfo.InvariantCulture, out int width)
                || !int.TryParse(s[0], NumberStyles.None, CultureInfo.InvariantCulture, out int blocks)
                || !int.TryParse(s[1], NumberStyles.None, CultureInfo.InvariantCulture, out int stride))
                throw new NascentException($"--stages '{Stages}': '{part}' is not WIDTHxBLOCKSsSTRIDE (e.g. {DefaultStages}).");
            if (width < 1 || blocks < 1 || stride is not (1 or 2))
                throw new NascentException($"--stages '{Stages}': '{part}' needs width >= 1, blocks >= 1 and stride 1 or 2.");
            stages.Add(new MetaGraphStage(width, blocks, stride));
        }
        return stages;
    }

    public void Validate()
    {
        if (InputChannels < 1 || Classes < 2) throw new NascentException($"A meta-graph needs >= 1 input channel and >= 2 classes.");
        if (StemChannels < 1) throw new NascentException($"--stem-channels must be at least 1 (got {StemChannels}).");
        ParseStages();
    }
}
