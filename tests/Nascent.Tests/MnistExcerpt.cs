using System.Buffers.Binary;
using Nascent.Data;
using Nascent.Tests.Data;

namespace Nascent.Tests;

/// <summary>A data directory holding the first <see cref="TrainImages"/> training and <see cref="TestImages"/> test
/// images of real MNIST, in the official files, for command-line tests (--data-dir) whose retraining measures the
/// whole test set and a validation set of the default 5,000 images: seconds of evaluation instead of 15,000 images'.</summary>
public sealed class MnistExcerpt : IDisposable
{
    public const int TrainImages = 5600, TestImages = 500;
    private readonly TempFolder _folder = new();

    public MnistExcerpt()
    {
        var (train, test) = DatasetLoader.ReadRaw(DatasetKind.Mnist,
            DataDirectories.DatasetFolder(DataDirectories.Resolve(null), DatasetKind.Mnist));
        string folder = DataDirectories.DatasetFolder(_folder.Path, DatasetKind.Mnist);
        Directory.CreateDirectory(folder);
        Write(folder, IdxReader.TrainImages, IdxReader.TrainLabels, train, TrainImages);
        Write(folder, IdxReader.TestImages, IdxReader.TestLabels, test, TestImages);
    }

    /// <summary>The --data-dir to pass: it holds mnist/ and nothing else.</summary>
    public string DataDirectory => _folder.Path;

    private static void Write(string folder, string imagesName, string labelsName, RawImages raw, int count)
    {
        var images = new byte[16 + count * raw.ImageSize];
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(0), IdxReader.ImagesMagic);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(8), raw.Height);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(12), raw.Width);
        raw.Pixels.AsSpan(0, count * raw.ImageSize).CopyTo(images.AsSpan(16));
        DataFiles.Write(folder, imagesName, images);
        DataFiles.Write(folder, labelsName, DataFiles.IdxLabels(raw.Labels[..count]));
    }

    public void Dispose() => _folder.Dispose();
}
