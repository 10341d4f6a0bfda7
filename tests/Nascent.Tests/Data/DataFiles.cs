using System.Buffers.Binary;
using System.IO.Compression;
using Nascent.Data;

namespace Nascent.Tests.Data;

/// <summary>
/// Writes small files in the official formats. Each image carries its index in its first two pixels (low byte, high
/// byte) so a test can tell which image landed where; the other pixels follow a fixed pattern.
/// </summary>
public static class DataFiles
{
    public static byte Pixel(int image, int at) => at switch
    {
        0 => (byte)(image & 0xFF),
        1 => (byte)(image >> 8),
        _ => (byte)((image * 31 + at * 7) % 251),
    };

    public static byte[] IdxImages(int count, int height, int width, int magic = IdxReader.ImagesMagic)
    {
        var bytes = new byte[16 + count * height * width];
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(0), magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), height);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), width);
        for (int i = 0; i < count; i++)
            for (int p = 0; p < height * width; p++)
                bytes[16 + i * height * width + p] = Pixel(i, p);
        return bytes;
    }

    public static byte[] IdxLabels(IReadOnlyList<byte> labels, int magic = IdxReader.LabelsMagic)
    {
        var bytes = new byte[8 + labels.Count];
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(0), magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), labels.Count);
        for (int i = 0; i < labels.Count; i++) bytes[8 + i] = labels[i];
        return bytes;
    }

    /// <summary>Label of image i in the test files: a fixed pattern over the classes.</summary>
    public static byte Label(int i, int classes) => (byte)((i * 7 + 3) % classes);

    public static byte[] Labels(int count, int classes) => Enumerable.Range(0, count).Select(i => Label(i, classes)).ToArray();

    /// <summary>Writes the four MNIST-format files (28x28 unless told) into the folder.</summary>
    public static void WriteIdxSet(string folder, int trainCount, int testCount, int height = 28, int width = 28, bool gzip = false)
    {
        Directory.CreateDirectory(folder);
        Write(folder, IdxReader.TrainImages, IdxImages(trainCount, height, width), gzip);
        Write(folder, IdxReader.TrainLabels, IdxLabels(Labels(trainCount, 10)), gzip);
        Write(folder, IdxReader.TestImages, IdxImages(testCount, height, width), gzip);
        Write(folder, IdxReader.TestLabels, IdxLabels(Labels(testCount, 10)), gzip);
    }

    public static string Write(string folder, string name, byte[] content, bool gzip = false)
    {
        string path = Path.Combine(folder, gzip ? name + ".gz" : name);
        if (!gzip)
        {
            File.WriteAllBytes(path, content);
            return path;
        }
        using var file = File.Create(path);
        using var zip = new GZipStream(file, CompressionLevel.Fastest);
        zip.Write(content);
        return path;
    }

    /// <summary>A CIFAR binary batch: per record the label byte(s), then 3x32x32 pixels. CIFAR-100 coarse label = fine / 5.</summary>
    public static byte[] Cifar(int count, bool cifar100, int firstIndex = 0)
    {
        int labelBytes = cifar100 ? 2 : 1;
        int record = labelBytes + CifarReader.ImageBytes;
        var bytes = new byte[count * record];
        for (int i = 0; i < count; i++)
        {
            int image = firstIndex + i;
            byte fine = Label(image, cifar100 ? 100 : 10);
            if (cifar100) bytes[i * record] = (byte)(fine / 5);
            bytes[i * record + labelBytes - 1] = fine;
            for (int p = 0; p < CifarReader.ImageBytes; p++) bytes[i * record + labelBytes + p] = Pixel(image, p);
        }
        return bytes;
    }

    /// <summary>Writes CIFAR-10 (five training batches of <paramref name="perBatch"/>, one test batch) into the folder.</summary>
    public static void WriteCifar10(string folder, int perBatch, int testCount)
    {
        Directory.CreateDirectory(folder);
        for (int b = 0; b < 5; b++)
            File.WriteAllBytes(Path.Combine(folder, CifarReader.Cifar10TrainFiles[b]), Cifar(perBatch, false, b * perBatch));
        File.WriteAllBytes(Path.Combine(folder, CifarReader.Cifar10TestFile), Cifar(testCount, false));
    }

    public static void WriteCifar100(string folder, int trainCount, int testCount)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, CifarReader.Cifar100TrainFile), Cifar(trainCount, true));
        File.WriteAllBytes(Path.Combine(folder, CifarReader.Cifar100TestFile), Cifar(testCount, true));
    }

    /// <summary>The index each image of a loaded data set was written with, read back from its first two pixels.</summary>
    public static int[] ImageIds(ImageDataset data)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var pixels = data.Images.reshape(data.Count, -1).narrow(1, 0, 2).contiguous().data<float>().ToArray();
        float mean = data.Mean[0], std = data.Std[0];
        int Byte(float x) => (int)Math.Round((x * std + mean) * 255);
        return Enumerable.Range(0, data.Count).Select(i => Byte(pixels[2 * i]) + 256 * Byte(pixels[2 * i + 1])).ToArray();
    }

    public static long[] LabelsOf(ImageDataset data) => data.Labels.data<long>().ToArray();
}
