namespace Nascent.Data;

/// <summary>
/// Reads the official binary versions of CIFAR-10 (records of 1 label byte + 3072 pixel bytes) and CIFAR-100
/// (coarse label byte + fine label byte + 3072 pixel bytes; the fine label is used). Pixels are 3x32x32, channel-major.
/// The files may sit in the given folder or in the archive's own subfolder.
/// </summary>
public static class CifarReader
{
    public const int Channels = 3, Height = 32, Width = 32;
    public const int ImageBytes = Channels * Height * Width;

    public static IReadOnlyList<string> Cifar10TrainFiles { get; } =
        ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];
    public const string Cifar10TestFile = "test_batch.bin";
    public const string Cifar100TrainFile = "train.bin";
    public const string Cifar100TestFile = "test.bin";

    /// <summary>The subfolder the official archive unpacks to.</summary>
    public static string ArchiveFolder(bool cifar100) => cifar100 ? "cifar-100-binary" : "cifar-10-batches-bin";

    /// <summary>
    /// The folder holding every file of the set: <paramref name="directory"/> itself or its archive subfolder.
    /// Throws a message naming the files to place, and where, when either lacks some.
    /// </summary>
    public static string FindFolder(string directory, bool cifar100)
    {
        var needed = TrainFiles(cifar100).Append(TestFile(cifar100)).ToList();
        string nested = Path.Combine(directory, ArchiveFolder(cifar100));
        foreach (string folder in new[] { directory, nested })
            if (needed.All(f => File.Exists(Path.Combine(folder, f)))) return folder;

        // Name what is missing from whichever folder holds more of the set, so a partial copy is easy to finish.
        string best = needed.Count(f => File.Exists(Path.Combine(nested, f))) > needed.Count(f => File.Exists(Path.Combine(directory, f)))
            ? nested : directory;
        var missing = needed.Where(f => !File.Exists(Path.Combine(best, f))).ToList();
        string files = cifar100
            ? $"{Cifar100TrainFile} and {Cifar100TestFile}"
            : $"{Cifar10TrainFiles[0]} ... {Cifar10TrainFiles[^1]} and {Cifar10TestFile}";
        string lacking = missing.Count < needed.Count ? $"; missing {string.Join(", ", missing)}" : "";
        throw new NascentException(
            $"{Name(cifar100)} not found: place {files} (the official binary version) in {directory}{lacking}");
    }

    /// <summary>Reads the training files (the five batches joined, for CIFAR-10) or the test file.</summary>
    public static RawImages Read(string directory, bool cifar100, bool train)
    {
        string folder = FindFolder(directory, cifar100);
        IReadOnlyList<string> files = train ? TrainFiles(cifar100) : [TestFile(cifar100)];
        return RawImages.Concat(files.Select(f => ReadFile(Path.Combine(folder, f), cifar100)).ToList());
    }

    /// <summary>Reads one binary batch file.</summary>
    public static RawImages ReadFile(string path, bool cifar100)
    {
        int labelBytes = cifar100 ? 2 : 1;
        int recordBytes = labelBytes + ImageBytes;
        int classes = cifar100 ? 100 : 10;
        string remedy = $"download the {Name(cifar100)} binary version again and replace it";
        byte[] data;
        try
        {
            long length = new FileInfo(path).Length;
            if (length == 0 || length % recordBytes != 0)
                throw new NascentException(
                    $"{Name(cifar100)} file {path} is corrupt: {length} bytes is not a whole number of {recordBytes}-byte records ({remedy})");
            if (length > Array.MaxLength)
                throw new NascentException($"{Name(cifar100)} file {path} is corrupt: {length} bytes is too large ({remedy})");
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NascentException($"{Name(cifar100)} file {path} cannot be read: {e.Message.TrimEnd('.')}", e);
        }

        int count = data.Length / recordBytes;
        var labels = new byte[count];
        var pixels = new byte[(long)count * ImageBytes];
        for (int i = 0; i < count; i++)
        {
            int record = i * recordBytes;
            if (cifar100 && data[record] >= 20)
                throw new NascentException(
                    $"{Name(cifar100)} file {path} is corrupt: coarse label {data[record]} in record {i} is outside [0, 20) ({remedy})");
            byte label = data[record + labelBytes - 1];
            if (label >= classes)
                throw new NascentException(
                    $"{Name(cifar100)} file {path} is corrupt: label {label} in record {i} is outside [0, {classes}) ({remedy})");
            labels[i] = label;
            Buffer.BlockCopy(data, record + labelBytes, pixels, i * ImageBytes, ImageBytes);
        }
        return new RawImages(pixels, labels, Channels, Height, Width, classes);
    }

    private static IReadOnlyList<string> TrainFiles(bool cifar100) => cifar100 ? [Cifar100TrainFile] : Cifar10TrainFiles;
    private static string TestFile(bool cifar100) => cifar100 ? Cifar100TestFile : Cifar10TestFile;
    private static string Name(bool cifar100) => cifar100 ? "CIFAR-100" : "CIFAR-10";
}
