namespace Nascent.Data;

/// <summary>
/// A data set held whole in memory: one float32 images tensor (N,C,H,W), already normalised per channel, and one
/// int64 labels tensor (N). Loaded once; batches are views (<see cref="Slice"/>) or gathers (<see cref="Select(Tensor)"/>),
/// never per-item copies. Dispose it to free the native memory.
/// </summary>
public sealed class ImageDataset : IDisposable
{
    private readonly Tensor _images;
    private readonly Tensor _labels;
    private bool _disposed;

    /// <summary>Takes ownership of the tensors; they leave any dispose scope, so only <see cref="Dispose"/> frees them.</summary>
    /// <param name="mean">The per-channel mean the images were normalised with (on the [0, 1] scale).</param>
    /// <param name="std">The per-channel standard deviation the images were normalised with.</param>
    public ImageDataset(string name, Tensor images, Tensor labels, int classes, IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        if (images.dim() != 4 || images.dtype != ScalarType.Float32)
            throw new ArgumentException($"Images must be a float32 tensor (N,C,H,W), not {images.dtype} {Shape(images)}.", nameof(images));
        if (labels.dim() != 1 || labels.dtype != ScalarType.Int64 || labels.shape[0] != images.shape[0])
            throw new ArgumentException($"Labels must be an int64 tensor of {images.shape[0]}, not {labels.dtype} {Shape(labels)}.", nameof(labels));
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes), classes, "A data set has at least one class.");
        if (mean.Count != images.shape[1] || std.Count != images.shape[1])
            throw new ArgumentException($"Give one mean and one std per channel ({images.shape[1]}).");
        Name = name;
        _images = images.DetachFromDisposeScope();
        _labels = labels.DetachFromDisposeScope();
        Classes = classes;
        Mean = mean.ToArray();
        Std = std.ToArray();
    }

    /// <summary>
    /// Turns the chosen images of a raw set into a data set, normalised with the given statistics.
    /// One gather of bytes, one conversion to float: no per-image work in torch.
    /// </summary>
    /// <param name="classNames">The class names in label order, when the set has them.</param>
    /// <param name="augmentation">How batches drawn from the set are augmented (training splits only); null: none.</param>
    public static ImageDataset FromRaw(string name, RawImages raw, IReadOnlyList<int> indices, IReadOnlyList<float> mean, IReadOnlyList<float> std,
        IReadOnlyList<string>? classNames = null, ImageAugmentation? augmentation = null)
    {
        int size = raw.ImageSize;
        var pixels = new byte[(long)indices.Count * size];
        var labels = new long[indices.Count];
        for (int k = 0; k < indices.Count; k++)
        {
            int i = indices[k];
            Array.Copy(raw.Pixels, (long)i * size, pixels, (long)k * size, size);
            labels[k] = raw.Labels[i];
        }
        using var scope = NewDisposeScope();
        var bytes = tensor(pixels, [indices.Count, raw.Channels, raw.Height, raw.Width]);
        // x = (b / 255 - mean) / std = b * scale - shift: two in-place passes after the one float conversion.
        var scale = tensor(std.Select(s => 1f / (255f * s)).ToArray()).view(1, -1, 1, 1);
        var shift = tensor(mean.Zip(std, (m, s) => m / s).ToArray()).view(1, -1, 1, 1);
        var images = bytes.to_type(ScalarType.Float32).mul_(scale).sub_(shift);
        var labelTensor = tensor(labels);
        return new ImageDataset(name, images, labelTensor, raw.Classes, mean, std)
        {
            ClassNames = classNames ?? [],
            Augmentation = augmentation ?? ImageAugmentation.None,
        };
    }

    public string Name { get; }
    public int Count => (int)_images.shape[0];
    public int Channels => (int)_images.shape[1];
    public int Height => (int)_images.shape[2];
    public int Width => (int)_images.shape[3];
    public int Classes { get; }
    public IReadOnlyList<float> Mean { get; }
    public IReadOnlyList<float> Std { get; }

    /// <summary>How batches drawn from this set by a <see cref="BatchSampler"/> are augmented: the loader sets it on the
    /// training split only; validation and test are never augmented.</summary>
    public ImageAugmentation Augmentation { get; init; } = ImageAugmentation.None;

    /// <summary>The class names, in label order, when the set has them (an image folder's class folders); else empty.</summary>
    public IReadOnlyList<string> ClassNames { get; init; } = [];

    /// <summary>The whole images tensor (N,C,H,W). Owned by this data set: do not dispose it.</summary>
    public Tensor Images => Alive(_images);

    /// <summary>The whole labels tensor (N), int64. Owned by this data set: do not dispose it.</summary>
    public Tensor Labels => Alive(_labels);

    /// <summary>Images and labels <paramref name="start"/> .. start+length-1 as views (no copy).</summary>
    public (Tensor Images, Tensor Labels) Slice(int start, int length)
    {
        if (start < 0 || length < 0 || start + length > Count)
            throw new ArgumentOutOfRangeException(nameof(start), $"Slice {start}+{length} is outside {Name} of {Count} images.");
        return (Alive(_images).narrow(0, start, length), Alive(_labels).narrow(0, start, length));
    }

    /// <summary>The images and labels at the given int64 indices, gathered in that order.</summary>
    public (Tensor Images, Tensor Labels) Select(Tensor indices) =>
        (Alive(_images).index_select(0, indices), Alive(_labels).index_select(0, indices));

    /// <summary>The images and labels at the given indices, gathered in that order.</summary>
    public (Tensor Images, Tensor Labels) Select(ReadOnlySpan<int> indices)
    {
        var longs = new long[indices.Length];
        for (int k = 0; k < longs.Length; k++) longs[k] = indices[k];
        using var index = tensor(longs);
        return Select(index);
    }

    public override string ToString() => $"{Name}: {Count} images {Channels}x{Height}x{Width}, {Classes} classes";

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _images.Dispose();
        _labels.Dispose();
    }

    private Tensor Alive(Tensor t) => _disposed ? throw new ObjectDisposedException(Name) : t;

    private static string Shape(Tensor t) => "(" + string.Join(",", t.shape) + ")";
}
