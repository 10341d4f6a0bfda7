using Nascent.Core;
using Nascent.Data;

namespace Nascent.Tests.Data;

public sealed class CifarReaderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Cifar10_joins_the_five_batches_in_order_with_their_labels_and_channel_major_pixels()
    {
        DataFiles.WriteCifar10(_temp.Sub("cifar10"), perBatch: 4, testCount: 3);

        var train = CifarReader.Read(Path.Combine(_temp.Path, "cifar10"), cifar100: false, train: true);
        var test = CifarReader.Read(Path.Combine(_temp.Path, "cifar10"), cifar100: false, train: false);

        Assert.Equal((20, 3, 32, 32, 10), (train.Count, train.Channels, train.Height, train.Width, train.Classes));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => DataFiles.Label(i, 10)), train.Labels);
        Assert.Equal(3, test.Count);
        // Image 13 sits in batch 4; its bytes are copied as written (C,H,W) right after the label byte.
        var image13 = train.Pixels.AsSpan(13 * 3072, 3072).ToArray();
        Assert.Equal(Enumerable.Range(0, 3072).Select(p => DataFiles.Pixel(13, p)), image13);
    }

    [Fact]
    public void Cifar100_uses_the_fine_label()
    {
        DataFiles.WriteCifar100(_temp.Sub("cifar100"), trainCount: 30, testCount: 7);
        var train = CifarReader.Read(Path.Combine(_temp.Path, "cifar100"), cifar100: true, train: true);
        Assert.Equal(100, train.Classes);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => DataFiles.Label(i, 100)), train.Labels);
        Assert.Contains(train.Labels, l => l >= 20); // not the coarse label, which stays below 20
        Assert.Equal(DataFiles.Pixel(29, 5), train.Pixels[29 * 3072 + 5]);
    }

    [Fact]
    public void Files_in_the_archive_subfolder_are_found_and_loaded_through_the_loader()
    {
        DataFiles.WriteCifar100(_temp.Sub("cifar100", "cifar-100-binary"), trainCount: 30, testCount: 7);
        using var splits = DatasetLoader.Load(new DataOptions
        {
            Dataset = DatasetKind.Cifar100, DataDirectory = _temp.Path, ValidationSize = 6, Seed = 3,
        });
        Assert.Equal((24, 6, 7), (splits.Train.Count, splits.Validation.Count, splits.Test.Count));
        Assert.Equal((3, 32, 32, 100), (splits.Train.Channels, splits.Train.Height, splits.Train.Width, splits.Train.Classes));
        Assert.Equal(DataFiles.ImageIds(splits.Train).Select(i => (long)DataFiles.Label(i, 100)), DataFiles.LabelsOf(splits.Train));
        Assert.Equal(3, splits.Train.Mean.Count);
    }

    [Fact]
    public void Truncated_file_names_the_file_and_the_record_size()
    {
        string folder = _temp.Sub("cifar10");
        DataFiles.WriteCifar10(folder, perBatch: 2, testCount: 2);
        string path = Path.Combine(folder, "data_batch_3.bin");
        File.WriteAllBytes(path, DataFiles.Cifar(2, false)[..^100]);

        var e = Assert.Throws<NascentException>(() => CifarReader.Read(folder, cifar100: false, train: true));
        Assert.Equal(
            $"CIFAR-10 file {path} is corrupt: {2 * 3073 - 100} bytes is not a whole number of 3073-byte records (download the CIFAR-10 binary version again and replace it)",
            e.Message);
    }

    [Fact]
    public void Cifar100_file_read_as_records_of_the_wrong_size_is_refused()
    {
        // A CIFAR-10 batch placed as CIFAR-100's train.bin: 3073-byte records are not 3074-byte ones.
        string folder = _temp.Sub("cifar100");
        File.WriteAllBytes(Path.Combine(folder, "train.bin"), DataFiles.Cifar(5, false));
        File.WriteAllBytes(Path.Combine(folder, "test.bin"), DataFiles.Cifar(2, true));
        var e = Assert.Throws<NascentException>(() => CifarReader.Read(folder, cifar100: true, train: true));
        Assert.Contains(Path.Combine(folder, "train.bin"), e.Message);
        Assert.Contains("3074-byte records", e.Message);
    }

    [Fact]
    public void Label_out_of_range_names_the_file_and_the_record()
    {
        string folder = _temp.Sub("cifar10");
        DataFiles.WriteCifar10(folder, perBatch: 3, testCount: 3);
        byte[] bad = DataFiles.Cifar(3, false);
        bad[2 * 3073] = 10;
        string path = Path.Combine(folder, "test_batch.bin");
        File.WriteAllBytes(path, bad);
        var e = Assert.Throws<NascentException>(() => CifarReader.Read(folder, cifar100: false, train: false));
        Assert.StartsWith($"CIFAR-10 file {path} is corrupt: label 10 in record 2 is outside [0, 10)", e.Message);
    }

    [Fact]
    public void Missing_cifar10_names_the_files_and_the_folder()
    {
        var e = Assert.Throws<NascentException>(() => DatasetLoader.Load(new DataOptions { Dataset = DatasetKind.Cifar10, DataDirectory = _temp.Path }));
        string folder = Path.Combine(_temp.Path, "cifar10");
        Assert.Equal(
            $"CIFAR-10 not found: place data_batch_1.bin ... data_batch_5.bin and test_batch.bin (the official binary version) in {folder}",
            e.Message);
    }

    [Fact]
    public void Missing_cifar100_names_the_files_and_the_folder()
    {
        var e = Assert.Throws<NascentException>(() => DatasetLoader.Load(new DataOptions { Dataset = DatasetKind.Cifar100, DataDirectory = _temp.Path }));
        Assert.Equal(
            $"CIFAR-100 not found: place train.bin and test.bin (the official binary version) in {Path.Combine(_temp.Path, "cifar100")}",
            e.Message);
    }

    [Fact]
    public void Partly_placed_cifar10_also_names_the_missing_files()
    {
        string nested = _temp.Sub("cifar10", "cifar-10-batches-bin");
        DataFiles.WriteCifar10(nested, perBatch: 1, testCount: 1);
        File.Delete(Path.Combine(nested, "data_batch_4.bin"));
        File.Delete(Path.Combine(nested, "test_batch.bin"));
        var e = Assert.Throws<NascentException>(() => CifarReader.FindFolder(Path.Combine(_temp.Path, "cifar10"), cifar100: false));
        Assert.EndsWith($"in {Path.Combine(_temp.Path, "cifar10")}; missing data_batch_4.bin, test_batch.bin", e.Message);
    }
}
