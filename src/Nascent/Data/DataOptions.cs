namespace Nascent.Data;

/// <summary>
/// What to load and how to split it. Sizes count images; the CLI spells them --validation-size, --train-subset,
/// --validation-subset, --test-subset. <see cref="DatasetLoader.Load"/> validates them.
/// </summary>
public sealed record DataOptions
{
    public required DatasetKind Dataset { get; init; }

    /// <summary>The data root (see <see cref="DataDirectories.Resolve"/>); each data set sits in its own subfolder.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Images carved from the official training set for validation, chosen by <see cref="Seed"/>.</summary>
    public int ValidationSize { get; init; } = 5000;

    /// <summary>Use only this many of the training images left after carving validation (a seeded random choice).</summary>
    public int? TrainSubset { get; init; }

    /// <summary>Use only this many of the validation images.</summary>
    public int? ValidationSubset { get; init; }

    /// <summary>Use only this many of the official test images (a seeded random choice).</summary>
    public int? TestSubset { get; init; }

    public ulong Seed { get; init; }
}
