using System.Buffers.Binary;
using System.IO.Compression;

namespace Nascent.Data;

/// <summary>
/// Reads the IDX files of MNIST and Fashion-MNIST (unsigned bytes, big-endian header), plain or gzip-compressed.
/// Every fault is a <see cref="NascentException"/> naming the file, what is wrong and how to fix it.
/// </summary>
public static class IdxReader
{
    public const int ImagesMagic = 2051; // 0x00000803: unsigned bytes, 3 dimensions
    public const int LabelsMagic = 2049; // 0x00000801: unsigned bytes, 1 dimension

    public const string TrainImages = "train-images-idx3-ubyte";
    public const string TrainLabels = "train-labels-idx1-ubyte";
    public const string TestImages = "t10k-images-idx3-ubyte";
    public const string TestLabels = "t10k-labels-idx1-ubyte";

    /// <summary>The four standard file names, training images first.</summary>
    public static IReadOnlyList<string> FileNames { get; } = [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>The path of <paramref name="fileName"/> in the folder, or of the same name with .gz; null if neither exists.</summary>
    public static string? Locate(string directory, string fileName)
    {
        string plain = Path.Combine(directory, fileName);
        if (File.Exists(plain)) return plain;
        string compressed = plain + ".gz";
        return File.Exists(compressed) ? compressed : null;
    }

    /// <summary>Reads one images file and its labels file and checks they agree.</summary>
    /// <param name="dataset">Names the data set in messages, e.g. "MNIST".</param>
    /// <param name="remedy">How to get a good copy, e.g. "re-fetch with 'nascent data fetch mnist'".</param>
    public static RawImages Read(string imagesPath, string labelsPath, int classes, string dataset = "IDX", string remedy = "replace it with the original file")
    {
        var (pixels, count, height, width) = ReadImages(imagesPath, dataset, remedy);
        byte[] labels = ReadLabels(labelsPath, classes, dataset, remedy);
        if (labels.Length != count)
            throw new NascentException(
                $"{dataset} files {imagesPath} and {labelsPath} do not match: {count} images but {labels.Length} labels ({remedy})");
        return new RawImages(pixels, labels, 1, height, width, classes);
    }

    public static (byte[] Pixels, int Count, int Height, int Width) ReadImages(string path, string dataset = "IDX", string remedy = "replace it with the original file")
    {
        return Parse(path, ImagesMagic, dataset, remedy, (dims, payload) =>
        {
            if (dims[1] == 0 || dims[2] == 0) throw Corrupt(path, dataset, remedy, $"images of {dims[1]}x{dims[2]} pixels");
            return (payload, (int)dims[0], (int)dims[1], (int)dims[2]);
        });
    }

    public static byte[] ReadLabels(string path, int classes, string dataset = "IDX", string remedy = "replace it with the original file")
    {
        return Parse(path, LabelsMagic, dataset, remedy, (_, labels) =>
        {
            int bad = Array.FindIndex(labels, l => l >= classes);
            if (bad >= 0)
                throw Corrupt(path, dataset, remedy, $"label {labels[bad]} at index {bad} is outside [0, {classes})");
            return labels;
        });
    }

    private static T Parse<T>(string path, int expectedMagic, string dataset, string remedy, Func<uint[], byte[], T> finish)
    {
        int rank = expectedMagic & 0xFF;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            // Sniff gzip by content, not by name: a renamed .gz file still reads.
            bool gzip = file.Length >= 2 && file.ReadByte() == 0x1F && file.ReadByte() == 0x8B;
            file.Position = 0;
            using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;

            Span<byte> header = stackalloc byte[4 + 4 * rank];
            int got = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            if (got < 4) throw Corrupt(path, dataset, remedy, $"{got} bytes, too short for an IDX header");
            int magic = BinaryPrimitives.ReadInt32BigEndian(header);
            if (magic != expectedMagic)
                throw Corrupt(path, dataset, remedy, $"magic number {magic}, expected {expectedMagic}");
            if (got < header.Length) throw Corrupt(path, dataset, remedy, $"{got} bytes, too short for an IDX header");

            var dims = new uint[rank];
            long payloadLength = 1;
            for (int d = 0; d < rank; d++)
            {
                dims[d] = BinaryPrimitives.ReadUInt32BigEndian(header[(4 + 4 * d)..]);
                payloadLength *= dims[d];
                if (payloadLength > Array.MaxLength)
                    throw Corrupt(path, dataset, remedy, $"header dimensions {string.Join("x", dims.Take(d + 1))} are too large");
            }
            string expected = $"the header ({string.Join("x", dims)}) needs {header.Length + payloadLength} bytes";
            if (!gzip && file.Length != header.Length + payloadLength)
                throw Corrupt(path, dataset, remedy, $"{file.Length} bytes but {expected}");

            var payload = new byte[payloadLength];
            int read = stream.ReadAtLeast(payload, payload.Length, throwOnEndOfStream: false);
            if (read < payload.Length)
                throw Corrupt(path, dataset, remedy, $"{header.Length + read} bytes after decompression but {expected}");
            if (gzip && stream.ReadByte() >= 0)
                throw Corrupt(path, dataset, remedy, $"more bytes after decompression than {expected}");
            return finish(dims, payload);
        }
        catch (InvalidDataException e)
        {
            throw Corrupt(path, dataset, remedy, $"gzip data is damaged ({e.Message.TrimEnd('.')})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NascentException($"{dataset} file {path} cannot be read: {e.Message.TrimEnd('.')}", e);
        }
    }

    private static NascentException Corrupt(string path, string dataset, string remedy, string what) =>
        new($"{dataset} file {path} is corrupt: {what} ({remedy})");
}
