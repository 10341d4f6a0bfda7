using Nascent.Core;
using Nascent.Data;
using static TorchSharp.torch;

namespace Nascent.Tests.Data;

public sealed class ImageAugmentationTests : IDisposable
{
    // 16 images of 2x6x5, every pixel distinct: image i, channel c, row y, column x holds 1000 i + 100 c + 10 y + x.
    private const int N = 16, C = 2, H = 6, W = 5;
    private static readonly float[] Mean = [0.5f, 0.25f], Std = [2f, 4f];
    private readonly ImageDataset _data = new("toy", Pixels(), arange(N, ScalarType.Int64), classes: N, Mean, Std)
    {
        Augmentation = ImageAugmentation.CropFlip,
    };

    public void Dispose() => _data.Dispose();

    private static Tensor Pixels() => (arange(N).view(N, 1, 1, 1) * 1000 + arange(C).view(1, C, 1, 1) * 100
        + arange(H).view(1, 1, H, 1) * 10 + arange(W).view(1, 1, 1, W)).to_type(ScalarType.Float32);

    private static float[] Values(Tensor t) => t.contiguous().data<float>().ToArray();

    [Fact]
    public void Crop_flip_keeps_the_shape_and_each_image_is_a_window_of_the_padded_image_maybe_mirrored()
    {
        using var scope = NewDisposeScope();
        var (images, labels) = _data.Slice(0, N);
        var augmented = ImageAugmentation.CropFlip.Apply(images, Mean, Std, new SeededRandom(3));
        Assert.Equal(new long[] { N, C, H, W }, augmented.shape);
        int flipped = 0, shifted = 0;
        for (int i = 0; i < N; i++)
        {
            // The padding is the pixel value 0 normalised: (0 - mean) / std per channel.
            var padded = full(C, H + 8, W + 8, 0f);
            for (int c = 0; c < C; c++) padded[c].fill_(-Mean[c] / Std[c]);
            padded.narrow(1, 4, H).narrow(2, 4, W).copy_(images[i]);
            var target = Values(augmented[i]);
            bool found = false;
            for (int dy = 0; dy <= 8 && !found; dy++)
                for (int dx = 0; dx <= 8 && !found; dx++)
                {
                    var window = padded.narrow(1, dy, H).narrow(2, dx, W);
                    if (Values(window).SequenceEqual(target)) { found = true; shifted += dy != 4 || dx != 4 ? 1 : 0; }
                    else if (Values(window.flip(2)).SequenceEqual(target)) { found = true; flipped++; shifted += dy != 4 || dx != 4 ? 1 : 0; }
                }
            Assert.True(found, $"image {i} is no window of its padded image");
        }
        Assert.InRange(flipped, 1, N - 1); // a coin per image
        Assert.True(shifted > 0);
        Assert.Equal(Enumerable.Range(0, N).Select(i => (long)i), labels.data<long>().ToArray());
    }

    [Fact]
    public void Flip_really_mirrors_the_columns()
    {
        using var scope = NewDisposeScope();
        var flipOnly = ImageAugmentation.CropFlip with { Name = "flip", Padding = 0 };
        var (images, _) = _data.Slice(0, N);
        var augmented = flipOnly.Apply(images, Mean, Std, new SeededRandom(11));
        int flipped = 0;
        for (int i = 0; i < N; i++)
        {
            var original = Values(images[i]);
            var result = Values(augmented[i]);
            if (result.SequenceEqual(original)) continue;
            flipped++;
            // Column x of the result is column W - 1 - x of the original, in every channel and row.
            for (int c = 0; c < C; c++)
                for (int y = 0; y < H; y++)
                    for (int x = 0; x < W; x++)
                        Assert.Equal(original[(c * H + y) * W + (W - 1 - x)], result[(c * H + y) * W + x]);
        }
        Assert.InRange(flipped, 1, N - 1);
    }

    [Fact]
    public void Batches_are_augmented_the_same_per_seed_and_position_and_differently_with_another_seed()
    {
        float[] FirstBatches(ulong seed, SamplerPosition? from = null)
        {
            using var scope = NewDisposeScope();
            var sampler = new BatchSampler(_data, 4, seed);
            if (from is { } p) sampler.Restore(p);
            return Values(sampler.Next().Images).Concat(Values(sampler.Next().Images)).ToArray();
        }
        Assert.Equal(FirstBatches(5), FirstBatches(5));
        Assert.NotEqual(FirstBatches(5), FirstBatches(6));
        // Restored to a position, a sampler augments as the one that got there batch by batch.
        var walked = new BatchSampler(_data, 4, seed: 5);
        using (NewDisposeScope())
        {
            for (int k = 0; k < 5; k++) walked.Next();
        }
        var position = walked.Position;
        using var scope = NewDisposeScope();
        var next = Values(walked.Next().Images).Concat(Values(walked.Next().Images)).ToArray();
        Assert.Equal(next, FirstBatches(5, position));
    }

    [Fact]
    public void Defaults_per_data_set_and_names()
    {
        Assert.Same(ImageAugmentation.CropFlip, ImageAugmentation.DefaultFor(DatasetKind.Cifar10));
        Assert.Same(ImageAugmentation.CropFlip, ImageAugmentation.DefaultFor(DatasetKind.Cifar100));
        Assert.Same(ImageAugmentation.None, ImageAugmentation.DefaultFor(DatasetKind.Mnist));
        Assert.Same(ImageAugmentation.None, ImageAugmentation.DefaultFor(DatasetKind.FashionMnist));
        Assert.Same(ImageAugmentation.None, ImageAugmentation.DefaultFor(DatasetKind.Folder));
        Assert.Same(ImageAugmentation.CropFlip, ImageAugmentation.Parse("Crop-Flip", DatasetKind.Mnist, "x"));
        Assert.Same(ImageAugmentation.None, ImageAugmentation.Parse(null, DatasetKind.Folder, "x"));
        var e = Assert.Throws<NascentException>(() => ImageAugmentation.Parse("rotate", DatasetKind.Mnist, "Data.Augment"));
        Assert.Equal("Data.Augment", e.Setting);
    }

    [Fact]
    public void Validation_and_test_are_never_augmented()
    {
        using var temp = new TempFolder();
        ImageFolders.Write(System.IO.Path.Combine(temp.Path, "images"), "train", "a", 10);
        ImageFolders.Write(System.IO.Path.Combine(temp.Path, "images"), "train", "b", 10);
        using var data = DatasetLoader.Load(new DataOptions
        {
            Dataset = DatasetKind.Folder, DataDirectory = temp.Path, Augmentation = ImageAugmentation.CropFlip,
            Folder = new ImageFolderOptions { Directory = System.IO.Path.Combine(temp.Path, "images"), CacheDirectory = temp.Sub("cache") },
        });
        Assert.Same(ImageAugmentation.CropFlip, data.Train.Augmentation);
        Assert.Same(ImageAugmentation.None, data.Validation.Augmentation);
        Assert.Same(ImageAugmentation.None, data.Test.Augmentation);
    }
}
