namespace Nascent.Data;

/// <summary>
/// What to load and how to split it. Sizes count images; the CLI spells them --validation-size, --train-subset,
/// --validation-subset, --test-subset. <see cref="DatasetLoader.Load"/> validates them.
/// </summary>
public sealed record DataOptions
{
    /// <summary>Validation images carved from a built-in set's training images when <see cref="ValidationSize"/> is unset.</summary>
    public const int DefaultValidationSize = 5000;

    public required DatasetKind Dataset { get; init; }

    /// <summary>The data root (see <see cref="DataDirectories.Resolve"/>); each built-in data set sits in its own
    /// subfolder, and decoded image folders are cached under it (<see cref="ImageFolderOptions.CacheDirectory"/>).</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Where the images of <see cref="DatasetKind.Folder"/> come from; required for it, ignored otherwise.</summary>
    public ImageFolderOptions? Folder { get; init; }

    /// <summary>Images carved from the training images for validation, chosen by <see cref="Seed"/> (stratified by class
    /// for a folder). Unset: 5,000 for a built-in set, a tenth (at least one per class) for a folder without val/.</summary>
    public int? ValidationSize { get; init; }

    /// <summary>Use only this many of the training images left after carving validation (a seeded random choice).
    /// A folder with fewer is used whole.</summary>
    public int? TrainSubset { get; init; }

    /// <summary>Use only this many of the validation images.</summary>
    public int? ValidationSubset { get; init; }

    /// <summary>Use only this many of the official test images (a seeded random choice).</summary>
    public int? TestSubset { get; init; }

    /// <summary>How training batches are augmented (<see cref="ImageAugmentation"/>); null: the data set's default.</summary>
    public ImageAugmentation? Augmentation { get; init; }

    public ulong Seed { get; init; }
}
