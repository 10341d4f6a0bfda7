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
