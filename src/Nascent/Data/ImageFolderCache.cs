using System.Security.Cryptography;

namespace Nascent.Data;

/// <summary>
/// The decoded images of an <see cref="ImageListing"/>, kept in one file, <c>CACHE/folder-&lt;hash&gt;.bin</c>: the hash
/// (SHA-256) covers every listed file's full path, size, modification time, label and split, the class names, and the
/// decoding settings (image size, channels, whether bad images are skipped), so changing, adding or removing a file or a
/// setting gives another key and decodes again. The file: "NASCENTI", format version, count, channels, height, width,
/// skipped count (int32 each), the listing index of each kept image, that of each skipped one, then the pixels (uint8,
/// image after image, C,H,W). Written to a temporary file and renamed, so a stopped decode leaves no half cache.
/// </summary>
public static class ImageFolderCache
{
    private const int Version = 1;
    private static readonly byte[] Magic = "NASCENTI"u8.ToArray();

    public static string PathFor(ImageFolderOptions options, ImageListing listing) =>
        Path.Combine(Path.GetFullPath(options.CacheDirectory), $"folder-{Key(options, listing)}.bin");

    /// <summary>The key: the first 16 hex digits of the SHA-256 of the file list and the settings.</summary>
    public static string Key(ImageFolderOptions options, ImageListing listing)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\n"));
        Add($"nascent image cache {Version}");
        Add($"size {options.ImageSize?.ToString() ?? "stored"}; channels {options.Channels?.ToString() ?? "files"}; skip {options.SkipBadImages}");
        Add("classes " + string.Join("/", listing.Classes));
        foreach (var image in listing.Images)
        {
            var file = new FileInfo(image.Path);
            Add($"{image.Path}\t{file.Length}\t{file.LastWriteTimeUtc.Ticks}\t{image.Label}\t{image.Split}");
        }
        return Convert.ToHexString(hash.GetHashAndReset())[..16].ToLowerInvariant();
    }

    /// <summary>The cached images, or null when there is no cache or it does not fit the listing (then it is decoded again).</summary>
    public static FolderImages? TryRead(string path, ImageListing listing)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic) || reader.ReadInt32() != Version) return null;
            int count = reader.ReadInt32(), channels = reader.ReadInt32(), height = reader.ReadInt32(), width = reader.ReadInt32();
            int skippedCount = reader.ReadInt32();
            if (count < 1 || channels is not (1 or 3) || height < 1 || width < 1 || skippedCount < 0
                || count + skippedCount != listing.Images.Count) return null;
            var kept = ReadIndices(reader, count, listing.Images.Count);
            var skipped = ReadIndices(reader, skippedCount, listing.Images.Count);
            if (kept is null || skipped is null) return null;
            long size = (long)count * channels * height * width;
            var pixels = new byte[size];
            if (reader.Read(pixels, 0, pixels.Length) != pixels.Length || reader.BaseStream.Position != reader.BaseStream.Length) return null;
            var labels = kept.Select(i => (byte)listing.Images[i].Label).ToArray();
            var splits = kept.Select(i => listing.Images[i].Split).ToArray();
            var images = new FolderImages(new RawImages(pixels, labels, channels, height, width, listing.Classes.Count), splits,
                listing.Classes, skipped.Select(i => listing.Images[i].Path).ToArray(), path, FromCache: true);
            ImageFolder.CheckClassesKept(images, listing);
            return images;
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Writes the cache (its folder is made when missing); the listing gives each image's index.</summary>
    public static void Write(string path, FolderImages images, ImageListing listing)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < listing.Images.Count; i++) index[listing.Images[i].Path] = i;
        var skipped = images.Skipped.Select(p => index[p]).ToHashSet();
        var kept = Enumerable.Range(0, listing.Images.Count).Where(i => !skipped.Contains(i)).ToArray();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temporary = $"{path}.{Environment.ProcessId}.tmp";
        using (var writer = new BinaryWriter(File.Create(temporary)))
        {
            var raw = images.Images;
            writer.Write(Magic);
            foreach (int value in new[] { Version, raw.Count, raw.Channels, raw.Height, raw.Width, skipped.Count }) writer.Write(value);
            foreach (int i in kept) writer.Write(i);
            foreach (int i in skipped.Order()) writer.Write(i);
            writer.Write(raw.Pixels);
        }
        File.Move(temporary, path, overwrite: true);
    }

    private static int[]? ReadIndices(BinaryReader reader, int count, int limit)
    {
        var indices = new int[count];
        for (int k = 0; k < count; k++)
        {
            indices[k] = reader.ReadInt32();
            if (indices[k] < 0 || indices[k] >= limit) return null;
        }
        return indices;
    }
}
