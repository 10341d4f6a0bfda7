using Nascent.Core;
using Nascent.Data;

namespace Nascent.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Round_trip_loads_shapes_labels_and_normalises_train_to_mean_0_std_1()
    {
        DataFiles.WriteIdxSet(_temp.Sub("mnist"), trainCount: 60, testCount: 12, height: 5, width: 4);
        using var splits = DatasetLoader.Load(new DataOptions
        {
            Dataset = DatasetKind.Mnist, DataDirectory = _temp.Path, ValidationSize = 10, Seed = 1,
        });

        Assert.Equal((50, 1, 5, 4, 10), (splits.Train.Count, splits.Train.Channels, splits.Train.Height, splits.Train.Width, splits.Train.Classes));
        Assert.Equal(10, splits.Validation.Count);
        Assert.Equal(12, splits.Test.Count);
        Assert.Equal(new long[] { 50, 1, 5, 4 }, splits.Train.Images.shape);
        Assert.Equal(TorchSharp.torch.ScalarType.Int64, splits.Train.Labels.dtype);
        Assert.Equal("mnist/train", splits.Train.Name);

        // Each image's label is the one written beside it; the test set keeps file order.
        foreach (var set in new[] { splits.Train, splits.Validation, splits.Test })
        {
            var ids = DataFiles.ImageIds(set);
            Assert.Equal(ids.Select(i => (long)DataFiles.Label(i, 10)), DataFiles.LabelsOf(set));
        }
        Assert.Equal(Enumerable.Range(0, 12), DataFiles.ImageIds(splits.Test));

        float mean = splits.Train.Images.mean().item<float>();
        float std = splits.Train.Images.std(unbiased: false).item<float>();
        Assert.InRange(mean, -1e-4f, 1e-4f);
        Assert.InRange(std, 1 - 1e-4f, 1 + 1e-4f);
    }

    [Fact]
    public void Gzip_files_read_the_same_as_plain_ones()
    {
        string plain = _temp.Sub("plain"), zipped = _temp.Sub("zipped");
        DataFiles.WriteIdxSet(plain, 20, 5, 3, 3);
        DataFiles.WriteIdxSet(zipped, 20, 5, 3, 3, gzip: true);

        var a = IdxReader.Read(IdxReader.Locate(plain, IdxReader.TrainImages)!, IdxReader.Locate(plain, IdxReader.TrainLabels)!, 10);
        string zippedImages = IdxReader.Locate(zipped, IdxReader.TrainImages)!;
        var b = IdxReader.Read(zippedImages, IdxReader.Locate(zipped, IdxReader.TrainLabels)!, 10);

        Assert.EndsWith(".gz", zippedImages);
        Assert.Equal(a.Pixels, b.Pixels);
        Assert.Equal(a.Labels, b.Labels);
        Assert.Equal((20, 3, 3), (b.Count, b.Height, b.Width));
    }

    [Fact]
    public void Wrong_magic_number_names_the_file_and_both_numbers()
    {
        string path = DataFiles.Write(_temp.Path, IdxReader.TrainImages, DataFiles.IdxImages(3, 2, 2, magic: 1234));
        var e = Assert.Throws<NascentException>(() => IdxReader.ReadImages(path, "MNIST", "re-fetch with 'nascent data fetch mnist'"));
        Assert.Equal($"MNIST file {path} is corrupt: magic number 1234, expected 2051 (re-fetch with 'nascent data fetch mnist')", e.Message);
    }

    [Fact]
    public void Labels_file_with_the_images_magic_is_refused()
    {
        string path = DataFiles.Write(_temp.Path, IdxReader.TrainLabels, DataFiles.IdxLabels([1, 2], magic: IdxReader.ImagesMagic));
        var e = Assert.Throws<NascentException>(() => IdxReader.ReadLabels(path, 10));
        Assert.Contains(path, e.Message);
        Assert.Contains("magic number 2051, expected 2049", e.Message);
    }

    [Fact]
    public void Truncated_images_file_names_the_file_and_the_sizes()
    {
        byte[] full = DataFiles.IdxImages(4, 3, 3);
        string path = DataFiles.Write(_temp.Path, IdxReader.TrainImages, full[..^5]);
        var e = Assert.Throws<NascentException>(() => IdxReader.ReadImages(path));
        Assert.Contains(path, e.Message);
        Assert.Contains($"{full.Length - 5} bytes but the header (4x3x3) needs {full.Length} bytes", e.Message);
    }

    [Fact]
    public void Truncated_gzip_file_is_reported_as_corrupt()
    {
        string path = DataFiles.Write(_temp.Path, IdxReader.TrainImages, DataFiles.IdxImages(50, 8, 8), gzip: true);
        byte[] zipped = File.ReadAllBytes(path);
        File.WriteAllBytes(path, zipped[..(zipped.Length / 2)]);
        var e = Assert.Throws<NascentException>(() => IdxReader.ReadImages(path, "Fashion-MNIST"));
        Assert.StartsWith($"Fashion-MNIST file {path} is corrupt: ", e.Message);
    }

    [Fact]
    public void Extra_bytes_after_the_data_are_refused()
    {
        byte[] full = DataFiles.IdxLabels([1, 2, 3]);
        string path = DataFiles.Write(_temp.Path, IdxReader.TrainLabels, [.. full, 0]);
        var e = Assert.Throws<NascentException>(() => IdxReader.ReadLabels(path, 10));
        Assert.Contains(path, e.Message);
        Assert.Contains("12 bytes but the header (3) needs 11 bytes", e.Message);
    }

    [Fact]
    public void Label_out_of_range_names_the_file_the_label_and_its_index()
    {
        string path = DataFiles.Write(_temp.Path, IdxReader.TrainLabels, DataFiles.IdxLabels([1, 9, 10, 2]));
        var e = Assert.Throws<NascentException>(() => IdxReader.ReadLabels(path, 10));
        Assert.Contains(path, e.Message);
        Assert.Contains("label 10 at index 2 is outside [0, 10)", e.Message);
    }

    [Fact]
    public void Image_and_label_count_mismatch_names_both_files()
    {
        string images = DataFiles.Write(_temp.Path, IdxReader.TrainImages, DataFiles.IdxImages(5, 2, 2));
        string labels = DataFiles.Write(_temp.Path, IdxReader.TrainLabels, DataFiles.IdxLabels([1, 2, 3, 4]));
        var e = Assert.Throws<NascentException>(() => IdxReader.Read(images, labels, 10, "MNIST"));
        Assert.Contains(images, e.Message);
        Assert.Contains(labels, e.Message);
        Assert.Contains("5 images but 4 labels", e.Message);
    }

    [Fact]
    public void Corrupt_file_in_a_data_set_folder_stops_the_loader_with_its_name()
    {
        string folder = _temp.Sub("fashion-mnist");
        DataFiles.WriteIdxSet(folder, 20, 5, 3, 3);
        string labels = DataFiles.Write(folder, IdxReader.TestLabels, DataFiles.IdxLabels([0, 1, 2, 3, 11]));
        var e = Assert.Throws<NascentException>(() => DatasetLoader.Load(new DataOptions
        {
            Dataset = DatasetKind.FashionMnist, DataDirectory = _temp.Path, ValidationSize = 5,
        }));
        Assert.StartsWith($"Fashion-MNIST file {labels} is corrupt: label 11 at index 4", e.Message);
    }

    [Fact]
    public void Missing_fashion_mnist_names_the_files_and_the_folder()
    {
        var e = Assert.Throws<NascentException>(() => DatasetLoader.Load(new DataOptions
        {
            Dataset = DatasetKind.FashionMnist, DataDirectory = _temp.Path,
        }));
        string folder = Path.Combine(_temp.Path, "fashion-mnist");
        Assert.Equal(
            $"Fashion-MNIST not found: place train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (or the same names with .gz) in {folder}",
            e.Message);
    }
}
