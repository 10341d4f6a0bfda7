using SkiaSharp;

namespace Nascent.Data;

/// <summary>
/// Decodes one image file (PNG, JPEG, BMP, WebP) with SkiaSharp into uint8 pixels, channel-major (C,H,W), the layout
/// <see cref="RawImages"/> holds. Geometry follows torchvision's <c>Resize(N)</c> then <c>CenterCrop(N)</c>: the shorter
/// side is scaled to N (the longer one to <c>int(N * long / short)</c>), then the centre N x N is cut out, its corner at
/// <c>round((h - N) / 2)</c>, <c>round((w - N) / 2)</c>. An image whose shorter side is already N is not resampled, so its
/// pixels arrive exactly as stored. Resampling is bilinear (with mipmaps when shrinking, for antialiasing); it is close
/// to, not bit-identical with, Pillow's. One channel is Pillow's <c>convert("L")</c> luma (ITU-R 601-2), three channels
/// are R, G, B (alpha dropped, as <c>convert("RGB")</c> does); a grey file asked for three channels repeats its plane.
/// Every failure is a <see cref="NascentException"/> naming the file.
/// </summary>
public static class ImageDecoder
{
    /// <summary>The file name endings read as images (compared case-insensitively), as torchvision's ImageFolder lists them.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".png", ".jpg", ".jpeg", ".bmp", ".webp"];

    /// <summary>True when the file name ends in one of <see cref="Extensions"/>.</summary>
    public static bool IsImageFile(string path) =>
        Extensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    /// <summary>What a file's header says: its size and whether it holds colour (anything but a grey encoding).</summary>
    public readonly record struct ImageHeader(int Width, int Height, bool Colour);

    /// <summary>Reads only the header: size and colour, without decoding the pixels.</summary>
    public static ImageHeader ReadHeader(string path)
    {
        using var codec = Open(path);
        var info = codec.Info;
        return new ImageHeader(info.Width, info.Height, !IsGrey(info.ColorType));
    }

    /// <summary>Decoded pixels, channel-major (C,H,W).</summary>
    public sealed record DecodedImage(byte[] Pixels, int Channels, int Height, int Width);

    /// <summary>Decodes <paramref name="path"/> to <paramref name="channels"/> x size x size bytes (C,H,W): shorter side resized to size, centre cropped.</summary>
    /// <param name="channels">1 (grey) or 3 (RGB).</param>
    public static byte[] Decode(string path, int size, int channels)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, "An image is at least 1 pixel wide.");
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "Images have 1 or 3 channels.");
        return Read(path, size, channels).Pixels;
    }

    /// <summary>Decodes <paramref name="path"/>; <paramref name="size"/> null keeps the stored size, <paramref name="channels"/>
    /// null keeps the file's own (1 for a grey encoding, else 3).</summary>
    public static DecodedImage Read(string path, int? size, int? channels)
    {
        if (channels is not (null or 1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "Images have 1 or 3 channels.");
        using var bitmap = DecodeBitmap(path);
        int c = channels ?? (bitmap.ColorType == SKColorType.Gray8 ? 1 : 3);
        int width = bitmap.Width, height = bitmap.Height;
        if (size is not int n)
            return new(Planes(bitmap, 0, 0, height, width, c), c, height, width);
        if (Math.Min(width, height) == n)
            return new(Planes(bitmap, CropStart(height, n), CropStart(width, n), n, n, c), c, n, n);

        // torchvision Resize(n): the shorter side becomes n, the longer int(n * long / short) (truncated, as Python's int()).
        var (newWidth, newHeight) = width <= height
            ? (n, (int)((long)n * height / width))
            : ((int)((long)n * width / height), n);
        var sampling = newWidth < width
            ? new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear)
            : new SKSamplingOptions(SKFilterMode.Linear);
        using var resized = bitmap.Resize(new SKImageInfo(newWidth, newHeight, bitmap.ColorType, bitmap.AlphaType), sampling)
            ?? throw new NascentException($"Image {path} could not be resized to {newWidth}x{newHeight}");
        return new(Planes(resized, CropStart(newHeight, n), CropStart(newWidth, n), n, n, c), c, n, n);
    }

    // torchvision CenterCrop: the corner at round((length - n) / 2), Python's round (half to even).
    private static int CropStart(int length, int n) => (int)Math.Round((length - n) / 2.0, MidpointRounding.ToEven);

    private static SKCodec Open(string path)
    {
        if (!File.Exists(path))
            throw new NascentException($"Image {path} does not exist");
        SKCodec? codec;
        SKCodecResult result;
        try
        {
            codec = SKCodec.Create(path, out result);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NascentException($"Image {path} cannot be read: {e.Message}", e);
        }
        if (codec is null)
            throw new NascentException(
                $"Image {path} cannot be decoded ({Describe(result)}): it is not a PNG, JPEG, BMP or WebP file, or it is damaged");
        if (codec.Info.Width < 1 || codec.Info.Height < 1)
        {
            codec.Dispose();
            throw new NascentException($"Image {path} cannot be decoded: it has no pixels");
        }
        return codec;
    }

    // Grey files decode straight to one byte per pixel (exact, and 4x less to move); others to unpremultiplied RGBA.
    private static SKBitmap DecodeBitmap(string path)
    {
        using var codec = Open(path);
        var source = codec.Info;
        var info = IsGrey(source.ColorType)
            ? new SKImageInfo(source.Width, source.Height, SKColorType.Gray8, SKAlphaType.Opaque)
            : new SKImageInfo(source.Width, source.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            bitmap.Dispose();
            throw new NascentException($"Image {path} cannot be decoded ({Describe(result)}): the file is damaged or cut short");
        }
        return bitmap;
    }

    private static bool IsGrey(SKColorType type) => type is SKColorType.Gray8 or SKColorType.Alpha8;

    // Copies the rows×cols window at (top, left) into C planes of bytes.
    private static byte[] Planes(SKBitmap bitmap, int top, int left, int rows, int cols, int channels)
    {
        var source = bitmap.GetPixelSpan();
        int rowBytes = bitmap.RowBytes, plane = rows * cols;
        var pixels = new byte[channels * plane];
        bool grey = bitmap.ColorType == SKColorType.Gray8;
        for (int y = 0; y < rows; y++)
        {
            var row = source.Slice((top + y) * rowBytes);
            for (int x = 0; x < cols; x++)
            {
                int at = y * cols + x;
                if (grey)
                {
                    byte v = row[left + x];
                    for (int c = 0; c < channels; c++) pixels[c * plane + at] = v;
                    continue;
                }
                int p = (left + x) * 4;
                byte r = row[p], g = row[p + 1], b = row[p + 2];
                if (channels == 3)
                {
                    pixels[at] = r;
                    pixels[plane + at] = g;
                    pixels[2 * plane + at] = b;
                }
                else
                {
                    // Pillow's convert("L"): L = R 299/1000 + G 587/1000 + B 114/1000, in 16-bit fixed point, rounded.
                    pixels[at] = (byte)((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
                }
            }
        }
        return pixels;
    }

    private static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput => "incomplete or corrupt data",
        SKCodecResult.Unimplemented => "an encoding SkiaSharp does not read",
        SKCodecResult.InvalidInput => "not an image",
        _ => result.ToString(),
    };
}
