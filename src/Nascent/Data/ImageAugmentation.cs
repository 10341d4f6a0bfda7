namespace Nascent.Data;

/// <summary>
/// How training batches are augmented, on the fly, as the papers train on CIFAR: a random crop of the image padded by
/// <see cref="Padding"/> zero pixels on each side, and a horizontal flip with probability 1/2.
/// Sources: DARTS, quark0/darts cnn/utils.py lines 62-68 at 8876e79 (<c>_data_transforms_cifar10</c>):
/// <c>RandomCrop(32, padding=4)</c>, <c>RandomHorizontalFlip()</c>, then <c>ToTensor</c> and <c>Normalize</c>;
/// NAS-Bench-201, D-X-Y/AutoDL-Projects lib/datasets/get_dataset_with_transform.py <c>get_datasets</c> (cifar10 and
/// cifar100): <c>RandomHorizontalFlip()</c>, <c>RandomCrop(32, padding=4)</c>, <c>ToTensor</c>, <c>Normalize</c> (flip and
/// crop in the other order: the same distribution, as both are random and the padding symmetric); ENAS (Pham et al.
/// 2018, section 3.2, the paper's text, not its code): training images padded to 40 x 40, randomly cropped back to
/// 32 x 32 and randomly flipped horizontally.
/// The padding is zero pixels before normalisation, as torchvision's is, so on normalised batches it is (0 - mean) / std
/// per channel. Each batch's choices come from a <see cref="SeededRandom"/> the caller seeds (the
/// <see cref="BatchSampler"/> from its seed, epoch and position), so a resumed run augments exactly as it would have.
/// </summary>
public sealed record ImageAugmentation
{
    /// <summary>No augmentation.</summary>
    public static ImageAugmentation None { get; } = new() { Name = "none", Padding = 0, Flip = false };

    /// <summary>Random crop with padding 4 and horizontal flip (DARTS, ENAS, NAS-Bench-201 on CIFAR).</summary>
    public static ImageAugmentation CropFlip { get; } = new() { Name = "crop-flip", Padding = 4, Flip = true };

    /// <summary>The --augment values, each with what it does.</summary>
    public static IReadOnlyList<ImageAugmentation> All { get; } = [None, CropFlip];

    public required string Name { get; init; }

    /// <summary>Zero pixels added on each side before a random crop back to the image's size; 0: no crop.</summary>
    public int Padding { get; init; }

    /// <summary>Flip each image horizontally with probability 1/2.</summary>
    public bool Flip { get; init; }

    public bool IsNone => Padding == 0 && !Flip;

    /// <summary>The default of a data set: crop-flip for CIFAR-10 and CIFAR-100 (as ENAS, DARTS and NAS-Bench-201 train),
    /// none for MNIST and Fashion-MNIST (digits and garments are not mirror-symmetric; the MNIST papers train without)
    /// and for a folder (its images may not allow flips: text, digits, left and right).</summary>
    public static ImageAugmentation DefaultFor(DatasetKind kind) =>
        kind is DatasetKind.Cifar10 or DatasetKind.Cifar100 ? CropFlip : None;

    /// <summary>Parses an --augment value (none, crop-flip); null gives the data set's default.</summary>
    public static ImageAugmentation Parse(string? name, DatasetKind kind, string setting)
    {
        if (name is null) return DefaultFor(kind);
        return All.FirstOrDefault(a => string.Equals(a.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw NascentException.ForSetting(setting,
                $"{{setting}} '{name}' is not known: use one of {string.Join(", ", All.Select(a => a.Name))}");
    }

    /// <summary>
    /// The augmented copy of a batch (N,C,H,W) of images normalised with <paramref name="mean"/> and <paramref name="std"/>:
    /// per image, a crop offset in [0, 2 x Padding] on each axis and a coin for the flip, drawn in image order.
    /// The result belongs to the caller's dispose scope.
    /// </summary>
    public Tensor Apply(Tensor images, IReadOnlyList<float> mean, IReadOnlyList<float> std, SeededRandom random)
    {
        if (IsNone) return images.alias();
        long n = images.shape[0], channels = images.shape[1], height = images.shape[2], width = images.shape[3];
        Tensor source = images;
        if (Padding > 0)
        {
            var zero = tensor(mean.Zip(std, (m, s) => -m / s).ToArray(), dtype: images.dtype, device: images.device).view(1, -1, 1, 1);
            source = zero.expand(n, channels, height + 2 * Padding, width + 2 * Padding).clone();
            source.narrow(2, Padding, height).narrow(3, Padding, width).copy_(images);
        }
        var crops = new Tensor[n];
        for (int i = 0; i < n; i++)
        {
            var image = source[i];
            if (Padding > 0)
                image = image.narrow(1, random.Next(2 * Padding + 1), height).narrow(2, random.Next(2 * Padding + 1), width);
            if (Flip && random.Next(2) == 1) image = image.flip(2);
            crops[i] = image;
        }
        return stack(crops);
    }
}
