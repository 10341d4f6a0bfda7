using Nascent.Data;

namespace Nascent.Tests.Data;

public sealed class ImageFolderTests : IDisposable
{
    private readonly FolderScratch _temp = new();

    public void Dispose() => _temp.Dispose();

    private ImageFolderOptions Folder(int? size = null, int? channels = null, bool skip = false) =>
        new() { Directory = _temp.Images, CacheDirectory = _temp.Cache, ImageSize = size, Channels = channels, SkipBadImages = skip };

    private DataOptions Options(ulong seed = 1, int? validation = null) => new()
    {
        Dataset = DatasetKind.Folder, DataDirectory = _temp.Path, Folder = Folder(), Seed = seed, ValidationSize = validation,
    };

    [Fact]
    public void Mnist_written_as_a_png_folder_reads_back_as_the_idx_pixels()
    {
        var (train, _) = DatasetLoader.ReadRaw(DatasetKind.Mnist,
            DataDirectories.DatasetFolder(DataDirectories.Resolve(null), DatasetKind.Mnist));
        ImageFolders.WriteRaw(_temp.Images, train, 200);
        var read = ImageFolder.Read(Folder());
        Assert.Equal(Enumerable.Range(0, 10).Select(d => d.ToString()), read.Classes);
        Assert.Equal((200, 1, 28, 28), (read.Images.Count, read.Images.Channels, read.Images.Height, read.Images.Width));
        var listing = ImageFolder.List(Folder());
        for (int k = 0; k < 200; k++)
        {
            int i = int.Parse(Path.GetFileNameWithoutExtension(listing.Images[k].Path));
            Assert.Equal(train.Labels[i], read.Images.Labels[k]);
            Assert.True(train.Pixels.AsSpan(i * 784, 784).SequenceEqual(read.Images.Pixels.AsSpan(k * 784, 784)), $"image {i}");
        }
    }

    [Fact]
    public void Classes_are_the_train_folders_sorted_ordinally_as_torchvision_sorts_them()
    {
        foreach (string name in new[] { "b", "B", "a", "10", "9" }) ImageFolders.Write(_temp.Images, "train", name, 1);
        var listing = ImageFolder.List(Folder());
        Assert.Equal(new[] { "10", "9", "B", "a", "b" }, listing.Classes);
        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, listing.Images.Select(i => i.Label));
        Assert.Equal("a", listing.Classes[listing.Images.Single(i => i.Path.Contains("/a/")).Label]);
    }

    [Fact]
    public void The_split_without_val_is_seeded_and_stratified_by_class()
    {
        ImageFolders.Write(_temp.Images, "train", "cat", 30);
        ImageFolders.Write(_temp.Images, "train", "dog", 60);
        ImageFolders.Write(_temp.Images, "train", "emu", 90);
        using var a = DatasetLoader.Load(Options(seed: 1, validation: 18));
        using var b = DatasetLoader.Load(Options(seed: 1, validation: 18));
        using var c = DatasetLoader.Load(Options(seed: 2, validation: 18));
        int[] Counts(ImageDataset d) => Enumerable.Range(0, 3).Select(k => d.Labels.data<long>().Count(l => l == k)).ToArray();
        Assert.Equal(new[] { 3, 6, 9 }, Counts(a.Validation)); // a tenth of each class
        Assert.Equal(new[] { 3, 6, 9 }, Counts(a.Test)); // no test/: carved the same way
        Assert.Equal(new[] { 24, 48, 72 }, Counts(a.Train));
        Assert.Equal(new[] { "cat", "dog", "emu" }, a.Train.ClassNames);
        float[] Pixels(ImageDataset d) => d.Images.data<float>().ToArray();
        Assert.Equal(Pixels(a.Validation), Pixels(b.Validation)); // same seed, same split
        Assert.NotEqual(Pixels(a.Validation), Pixels(c.Validation)); // another seed, another split
        // Unset, the validation part is a tenth of the training images.
        using var d = DatasetLoader.Load(Options());
        Assert.Equal(new[] { 3, 6, 9 }, Counts(d.Validation));
    }

    [Fact]
    public void Val_and_test_folders_are_used_as_given()
    {
        ImageFolders.Write(_temp.Images, "train", "a", 5);
        ImageFolders.Write(_temp.Images, "train", "b", 5);
        ImageFolders.Write(_temp.Images, "val", "b", 2);
        ImageFolders.Write(_temp.Images, "test", "a", 3);
        using var data = DatasetLoader.Load(Options());
        Assert.Equal((10, 2, 3), (data.Train.Count, data.Validation.Count, data.Test.Count));
        Assert.All(data.Validation.Labels.data<long>().ToArray(), l => Assert.Equal(1, l));
        Assert.All(data.Test.Labels.data<long>().ToArray(), l => Assert.Equal(0, l));
        Assert.Same(ImageAugmentation.None, data.Train.Augmentation); // a folder's default
    }

    [Fact]
    public void A_manifest_lists_images_relative_to_its_folder_with_labels_and_splits()
    {
        var cats = ImageFolders.Write(_temp.Images, "any", "c", 3);
        var dogs = ImageFolders.Write(_temp.Images, "any", "d", 3, channels: 3);
        string manifest = Path.Combine(_temp.Images, "list.csv");
        File.WriteAllLines(manifest, [
            "path,label,split", "# a comment", "",
            "any/c/000.png,10", "any/c/001.png,10,train", "any/c/002.png,10,test",
            "any/d/000.png,9", "any/d/001.png,9,val", $"{dogs[2]},9,validation",
        ]);
        var options = new ImageFolderOptions { Manifest = manifest, CacheDirectory = _temp.Cache };
        var listing = ImageFolder.List(options);
        Assert.Equal(new[] { "9", "10" }, listing.Classes); // whole numbers sort as numbers
        Assert.Equal(cats[0], listing.Images[0].Path);
        Assert.Equal(new[] { ImageSplit.Train, ImageSplit.Train, ImageSplit.Test, ImageSplit.Train, ImageSplit.Validation, ImageSplit.Validation },
            listing.Images.Select(i => i.Split));
        var read = ImageFolder.Read(options);
        Assert.Equal(3, read.Images.Channels); // one colour file makes the set colour; grey files repeat their plane
        var grey = ImageDecoder.Decode(cats[0], 8, 1);
        Assert.Equal(grey, read.Images.Pixels.AsSpan(0, 64).ToArray());
        Assert.Equal(grey, read.Images.Pixels.AsSpan(128, 64).ToArray());
        Assert.Equal(new byte[] { 1, 1, 1, 0, 0, 0 }, read.Images.Labels);
    }

    [Fact]
    public void The_second_load_reads_the_cache_and_a_changed_file_decodes_again()
    {
        var files = ImageFolders.Write(_temp.Images, "train", "a", 4);
        ImageFolders.Write(_temp.Images, "train", "b", 4);
        var first = ImageFolder.Read(Folder());
        Assert.False(first.FromCache);
        Assert.StartsWith(Path.Combine(_temp.Cache, "folder-"), first.CachePath);
        var second = ImageFolder.Read(Folder());
        Assert.True(second.FromCache);
        Assert.Equal(first.CachePath, second.CachePath);
        Assert.Equal(first.Images.Pixels, second.Images.Pixels);
        // Another setting is another cache.
        Assert.False(ImageFolder.Read(Folder(size: 4)).FromCache);
        // A changed file: new content and time, so a new key.
        var pixels = Enumerable.Repeat((byte)7, 64).ToArray();
        ImageFiles.WritePng(files[0], pixels, 1, 8, 8);
        File.SetLastWriteTimeUtc(files[0], DateTime.UtcNow.AddMinutes(1));
        var third = ImageFolder.Read(Folder());
        Assert.False(third.FromCache);
        Assert.NotEqual(first.CachePath, third.CachePath);
        Assert.Equal(pixels, third.Images.Pixels.AsSpan(0, 64).ToArray());
    }

    [Fact]
    public void Reading_and_splitting_leaves_the_image_folder_unchanged()
    {
        ImageFolders.Write(_temp.Images, "train", "a", 12);
        ImageFolders.Write(_temp.Images, "train", "b", 12);
        File.WriteAllText(Path.Combine(_temp.Images, "train", "b", "broken.png"), "not an image");
        string before = ImageFolders.TreeHash(_temp.Images);
        using (DatasetLoader.Load(Options() with { Folder = Folder(skip: true) })) { }
        using (DatasetLoader.Load(Options() with { Folder = Folder(skip: true) })) { } // from the cache
        Assert.Equal(before, ImageFolders.TreeHash(_temp.Images));
    }

    [Fact]
    public void Skipping_bad_images_counts_and_names_them()
    {
        ImageFolders.Write(_temp.Images, "train", "a", 3);
        ImageFolders.Write(_temp.Images, "train", "b", 3);
        string broken = Path.Combine(_temp.Images, "train", "b", "broken.jpg");
        File.WriteAllText(broken, "not an image");
        var read = ImageFolder.Read(Folder(skip: true));
        Assert.Equal(6, read.Images.Count);
        Assert.Equal(new[] { broken }, read.Skipped);
        var cached = ImageFolder.Read(Folder(skip: true));
        Assert.True(cached.FromCache);
        Assert.Equal(new[] { broken }, cached.Skipped);
    }
}
