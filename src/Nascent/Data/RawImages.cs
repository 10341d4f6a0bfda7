namespace Nascent.Data;

/// <summary>
/// Images and labels as the files hold them: bytes, image after image, each channel-major (C,H,W).
/// The readers return this; <see cref="ImageDataset"/> turns a chosen part of it into tensors once.
/// </summary>
public sealed class RawImages
{
    public RawImages(byte[] pixels, byte[] labels, int channels, int height, int width, int classes)
    {
        if (channels <= 0 || height <= 0 || width <= 0) throw new ArgumentException("Image dimensions must be positive.");
        if ((long)labels.Length * channels * height * width != pixels.Length)
            throw new ArgumentException($"{pixels.Length} pixel bytes do not hold {labels.Length} images of {channels}x{height}x{width}.");
        Pixels = pixels;
        Labels = labels;
        Channels = channels;
        Height = height;
        Width = width;
        Classes = classes;
    }

    public byte[] Pixels { get; }
    public byte[] Labels { get; }
    public int Count => Labels.Length;
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public int Classes { get; }
    public int ImageSize => Channels * Height * Width;

    /// <summary>Joins sets of the same shape in order (the five CIFAR-10 training batches into one).</summary>
    public static RawImages Concat(IReadOnlyList<RawImages> parts)
    {
        if (parts.Count == 1) return parts[0];
        var first = parts[0];
        if (parts.Any(p => p.Channels != first.Channels || p.Height != first.Height || p.Width != first.Width || p.Classes != first.Classes))
            throw new ArgumentException("Only image sets of the same shape and classes can be joined.");
        var pixels = new byte[parts.Sum(p => (long)p.Pixels.Length)];
        var labels = new byte[parts.Sum(p => p.Labels.Length)];
        long pixelAt = 0;
        int labelAt = 0;
        foreach (var p in parts)
        {
            p.Pixels.CopyTo(pixels, pixelAt);
            p.Labels.CopyTo(labels, labelAt);
            pixelAt += p.Pixels.Length;
            labelAt += p.Labels.Length;
        }
        return new RawImages(pixels, labels, first.Channels, first.Height, first.Width, first.Classes);
    }

    /// <summary>
    /// Per-channel mean and standard deviation of the chosen images, scaled to [0, 1].
    /// Counted with a 256-bin histogram per channel: exact, and no float copy of the images.
    /// </summary>
    public (float[] Mean, float[] Std) ChannelStatistics(IReadOnlyList<int> indices)
    {
        int plane = Height * Width;
        var histogram = new long[Channels][];
        for (int c = 0; c < Channels; c++) histogram[c] = new long[256];
        foreach (int i in indices)
        {
            var image = Pixels.AsSpan(i * ImageSize, ImageSize);
            for (int c = 0; c < Channels; c++)
            {
                var counts = histogram[c];
                foreach (byte b in image.Slice(c * plane, plane)) counts[b]++;
            }
        }
        var mean = new float[Channels];
        var std = new float[Channels];
        for (int c = 0; c < Channels; c++)
        {
            double n = 0, sum = 0, sumSquares = 0;
            for (int v = 0; v < 256; v++)
            {
                double count = histogram[c][v], x = v / 255.0;
                n += count;
                sum += count * x;
                sumSquares += count * x * x;
            }
            double m = n > 0 ? sum / n : 0;
            double variance = n > 0 ? Math.Max(0, sumSquares / n - m * m) : 0;
            mean[c] = (float)m;
            // A constant channel (or no images) would divide by zero; leave it unscaled.
            std[c] = variance > 1e-12 ? (float)Math.Sqrt(variance) : 1f;
        }
        return (mean, std);
    }
}
