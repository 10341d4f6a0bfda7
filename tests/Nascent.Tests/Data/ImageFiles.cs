using Nascent.Data;
using SkiaSharp;

namespace Nascent.Tests.Data;

/// <summary>Writes image files with SkiaSharp from (C,H,W) bytes, for tests that read folders of images.</summary>
public static class ImageFiles
{
    /// <summary>Writes one or three planes of bytes as a PNG (grey or RGB); a losslessly stored file decodes to the same bytes.</summary>
    public static string WritePng(string path, ReadOnlySpan<byte> planes, int channels, int height, int width) =>
        Write(path, planes, channels, height, width, SKEncodedImageFormat.Png);

    public static string Write(string path, ReadOnlySpan<byte> planes, int channels, int height, int width, SKEncodedImageFormat format)
    {
        int plane = height * width;
        var info = channels == 1
            ? new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque)
            : new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        int rowBytes = bitmap.RowBytes;
        var target = new byte[rowBytes * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int at = y * width + x;
                if (channels == 1) target[y * rowBytes + x] = planes[at];
                else
                {
                    int p = y * rowBytes + x * 4;
                    target[p] = planes[at];
                    target[p + 1] = planes[plane + at];
                    target[p + 2] = planes[2 * plane + at];
                    target[p + 3] = 255;
                }
            }
        System.Runtime.InteropServices.Marshal.Copy(target, 0, bitmap.GetPixels(), target.Length);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var data = bitmap.Encode(format, 100);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    /// <summary>Image i of a raw set as a PNG file.</summary>
    public static string WritePng(string path, RawImages raw, int i) =>
        WritePng(path, raw.Pixels.AsSpan(i * raw.ImageSize, raw.ImageSize), raw.Channels, raw.Height, raw.Width);
}

/// <summary>Small image folders in torchvision's layout, written by the tests.</summary>
public static class ImageFolders
{
    /// <summary>Writes <paramref name="count"/> grey (or colour) size x size PNGs into ROOT/SPLIT/CLASS/, each with its own
    /// pattern (from the class name and index), and returns their paths.</summary>
    public static IReadOnlyList<string> Write(string root, string split, string className, int count, int size = 8, int channels = 1)
    {
        var paths = new List<string>();
        int salt = className.Aggregate(17, (h, ch) => h * 31 + ch);
        for (int i = 0; i < count; i++)
        {
            var pixels = new byte[channels * size * size];
            for (int p = 0; p < pixels.Length; p++) pixels[p] = (byte)((salt + i * 37 + p * 11) % 256);
            paths.Add(ImageFiles.WritePng(Path.Combine(root, split, className, $"{i:D3}.png"), pixels, channels, size, size));
        }
        return paths;
    }

    /// <summary>The first <paramref name="count"/> images of a raw set as ROOT/train/&lt;label&gt;/&lt;index&gt;.png.</summary>
    public static void WriteRaw(string root, RawImages raw, int count)
    {
        for (int i = 0; i < count; i++)
            ImageFiles.WritePng(Path.Combine(root, "train", raw.Labels[i].ToString(), $"{i:D5}.png"), raw, i);
    }

    /// <summary>A hash of every file's relative path and content under <paramref name="root"/>, and of every folder.</summary>
    public static string TreeHash(string root)
    {
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (string entry in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(root, entry) + "\n"));
            if (File.Exists(entry))
            {
                sha.AppendData(File.ReadAllBytes(entry));
                sha.AppendData(BitConverter.GetBytes(File.GetLastWriteTimeUtc(entry).Ticks));
            }
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }
}

/// <summary>A temp folder holding images/ (the image folder a test writes) and cache/ (where it is decoded to), beside each other.</summary>
public sealed class FolderScratch : IDisposable
{
    private readonly TempFolder _folder = new();

    public string Path => _folder.Path;
    public string Images => System.IO.Path.Combine(_folder.Path, "images");
    public string Cache => System.IO.Path.Combine(_folder.Path, "cache");

    public void Dispose() => _folder.Dispose();
}
