namespace Nascent.Data;

/// <summary>Where a <see cref="DatasetKind.Folder"/> data set's images come from and how they are decoded
/// (<see cref="ImageFolder"/>). Exactly one of <see cref="Directory"/> and <see cref="Manifest"/> is given.</summary>
public sealed record ImageFolderOptions
{
    /// <summary>A folder in torchvision's ImageFolder layout: train/&lt;class&gt;/*.png|jpg|jpeg|bmp|webp, optional val/ and test/.</summary>
    public string? Directory { get; init; }

    /// <summary>A CSV file of <c>path,label[,split]</c> lines, paths relative to the manifest's folder.</summary>
    public string? Manifest { get; init; }

    /// <summary>Resize the shorter side to this and centre-crop to a square (torchvision Resize + CenterCrop); null:
    /// as stored, which then must be one size for all images.</summary>
    public int? ImageSize { get; init; }

    /// <summary>1 (grey) or 3 (colour); null: grey when every file is grey, else colour.</summary>
    public int? Channels { get; init; }

    /// <summary>Count and skip files that do not decode instead of stopping at the first.</summary>
    public bool SkipBadImages { get; init; }

    /// <summary>The folder of decoded caches (<c>folder-&lt;hash&gt;.bin</c>), never inside the image folder.</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>The settings these options come from, as library messages name them (the CLI words them as flags).</summary>
    public static string KeyOf(string property) => Settings.KeyOf(typeof(ImageFolderOptions), property);
}
