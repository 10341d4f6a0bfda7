namespace Nascent.Data;

/// <summary>Which part of a data set a listed image belongs to, as the folder (train/, val/, test/) or manifest says.</summary>
public enum ImageSplit : byte
{
    Train,
    Validation,
    Test,
}

/// <summary>One listed image: its file, its class (an index into <see cref="ImageListing.Classes"/>) and its split.</summary>
public readonly record struct ListedImage(string Path, int Label, ImageSplit Split);

/// <summary>What an image folder or manifest lists: the classes in label order and every image file, in a fixed order.</summary>
public sealed record ImageListing(string Source, IReadOnlyList<string> Classes, IReadOnlyList<ListedImage> Images);

/// <summary>The decoded images of a listing: pixels and labels, each image's split, and the files that were skipped.</summary>
public sealed record FolderImages(RawImages Images, ImageSplit[] Splits, IReadOnlyList<string> Classes,
    IReadOnlyList<string> Skipped, string CachePath, bool FromCache);

/// <summary>
/// Reads the user's own images. A folder in torchvision's ImageFolder layout: <c>DIR/train/&lt;class&gt;/...</c> (files
/// found at any depth below a class folder, as torchvision's <c>make_dataset</c> walks), optional <c>DIR/val/</c> and
/// <c>DIR/test/</c> with the same class names; classes are the train/ subfolders sorted by name, ordinally, as
/// torchvision's <c>sorted(entry.name ...)</c> sorts them, and their index is the label. Or a CSV manifest:
/// <c>path,label[,split]</c> lines (an optional header line <c>path,label[,split]</c>, blank lines and lines starting with
/// <c>#</c> skipped; no quoting, so paths hold no commas), paths relative to the manifest's folder, split one of train,
/// val, test (default train); labels sorted as numbers when all are whole numbers, else ordinally.
/// Files are decoded once (<see cref="ImageDecoder"/>) into a cache under the data root keyed by the file list (paths,
/// sizes, modification times) and the decoding settings (<see cref="ImageFolderCache"/>); nothing is ever written
/// into the image folder. Every mistake in the data is one <see cref="NascentException"/> naming it.
/// </summary>
public static class ImageFolder
{
    /// <summary>RawImages holds labels as bytes.</summary>
    public const int MaxClasses = 256;

    private static readonly string DirectoryKey = ImageFolderOptions.KeyOf(nameof(ImageFolderOptions.Directory));
    private static readonly string ManifestKey = ImageFolderOptions.KeyOf(nameof(ImageFolderOptions.Manifest));
    private static readonly string ImageSizeKey = ImageFolderOptions.KeyOf(nameof(ImageFolderOptions.ImageSize));
    private static readonly string SkipKey = ImageFolderOptions.KeyOf(nameof(ImageFolderOptions.SkipBadImages));

    /// <summary>Lists, then decodes (or reads from the cache) the images the options name.</summary>
    /// <param name="check">Runs on the listing before anything is decoded (the loader checks its split can be carved).</param>
    public static FolderImages Read(ImageFolderOptions options, IProgress<ProgressEvent>? progress = null, Action<ImageListing>? check = null)
    {
        Validate(options);
        var listing = List(options);
        check?.Invoke(listing);
        string cachePath = ImageFolderCache.PathFor(options, listing);
        if (ImageFolderCache.TryRead(cachePath, listing) is { } cached)
        {
            progress.Message($"{listing.Source}: {cached.Images.Count} images from the cache {cachePath}" + SkippedText(cached.Skipped));
            return cached;
        }
        var decoded = Decode(options, listing, cachePath, progress);
        ImageFolderCache.Write(cachePath, decoded, listing);
        progress.Message($"{listing.Source}: decoded {decoded.Images.Count} images " +
            $"({decoded.Images.Channels}x{decoded.Images.Height}x{decoded.Images.Width}, {listing.Classes.Count} classes) into {cachePath}" +
            SkippedText(decoded.Skipped));
        return decoded;
    }

    /// <summary>Checks the options themselves, before any file is read.</summary>
    public static void Validate(ImageFolderOptions options)
    {
        if (options.Directory is null == options.Manifest is null)
            throw NascentException.ForSetting(DirectoryKey, options.Directory is null
                ? $"An image folder needs its images: give {{setting}} DIR (train/<class>/ folders) or a manifest ({ManifestKey})"
                : $"Give either {{setting}} or a manifest ({ManifestKey}), not both");
        if (options.ImageSize is < 1)
            throw NascentException.ForSetting(ImageSizeKey, $"{{setting}} must be at least 1 (got {options.ImageSize})");
        if (options.Channels is not (null or 1 or 3))
            throw NascentException.ForSetting(ImageFolderOptions.KeyOf(nameof(ImageFolderOptions.Channels)),
                $"{{setting}} must be 1 (grey) or 3 (colour) (got {options.Channels}); leave it out to follow the files");
        // The images' folder: the ImageFolder root, or the folder a manifest's paths are relative to.
        if ((options.Directory ?? Path.GetDirectoryName(Path.GetFullPath(options.Manifest!))) is { } directory)
        {
            string root = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
            string cache = Path.GetFullPath(options.CacheDirectory).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
            if (cache.StartsWith(root, StringComparison.Ordinal))
                throw NascentException.ForSetting(ImageFolderOptions.KeyOf(nameof(ImageFolderOptions.CacheDirectory)),
                    $"The decoded-image cache {options.CacheDirectory} lies inside the image folder {directory}, which Nascent never writes to: give {{setting}} another folder");
        }
    }

    /// <summary>The images the folder or manifest lists, checked: at least two classes, none empty.</summary>
    public static ImageListing List(ImageFolderOptions options) =>
        options.Manifest is { } manifest ? ListManifest(manifest) : ListFolder(options.Directory!);

    private static ImageListing ListFolder(string directory)
    {
        if (!Directory.Exists(directory))
            throw NascentException.ForSetting(DirectoryKey,
                $"Image folder {directory} does not exist: give {{setting}} a folder holding train/<class>/ image folders");
        string train = Path.Combine(directory, "train");
        if (!Directory.Exists(train))
            throw NascentException.ForSetting(DirectoryKey,
                $"Image folder {directory} has no train/ folder: put one folder of images per class in {train} (torchvision's ImageFolder layout), optionally val/ and test/ beside it");
        var classes = Directory.GetDirectories(train).Select(Path.GetFileName).Select(n => n!).Order(StringComparer.Ordinal).ToArray();
        if (classes.Length == 0)
            throw new NascentException($"{train} has no class folders: put the images of each class in a folder of their own, {train}/<class>/");
        if (classes.Length == 1)
            throw new NascentException(
                $"{train} has one class only ({classes[0]}): a classifier needs at least two class folders");
        CheckClassCount(classes.Length, train);
        var labels = classes.Select((name, label) => (name, label)).ToDictionary(x => x.name, x => x.label, StringComparer.Ordinal);
        var images = new List<ListedImage>();
        foreach (string name in classes)
        {
            var files = ImageFiles(Path.Combine(train, name));
            if (files.Count == 0)
                throw new NascentException(
                    $"Class folder {Path.Combine(train, name)} has no images ({string.Join(", ", ImageDecoder.Extensions)}): add some or remove the folder");
            images.AddRange(files.Select(f => new ListedImage(f, labels[name], ImageSplit.Train)));
        }
        foreach (var (folder, split) in new[] { ("val", ImageSplit.Validation), ("test", ImageSplit.Test) })
        {
            string path = Path.Combine(directory, folder);
            if (!Directory.Exists(path)) continue;
            foreach (string classFolder in Directory.GetDirectories(path).Order(StringComparer.Ordinal))
            {
                string name = Path.GetFileName(classFolder);
                if (!labels.TryGetValue(name, out int label))
                    throw new NascentException(
                        $"{classFolder} is not a class of {train} ({string.Join(", ", classes)}): rename or remove it");
                images.AddRange(ImageFiles(classFolder).Select(f => new ListedImage(f, label, split)));
            }
        }
        return new ImageListing($"image folder {directory}", classes, images);
    }

    // torchvision walks each class folder recursively; the order here is the full paths' ordinal order.
    private static List<string> ImageFiles(string folder) => Directory
        .EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
        .Where(ImageDecoder.IsImageFile).Select(Path.GetFullPath).Order(StringComparer.Ordinal).ToList();

    private static ImageListing ListManifest(string manifest)
    {
        if (!File.Exists(manifest))
            throw NascentException.ForSetting(ManifestKey, $"Manifest {manifest} does not exist: give {{setting}} a CSV file of path,label[,split] lines");
        string folder = Path.GetDirectoryName(Path.GetFullPath(manifest))!;
        var rows = new List<(string Path, string Label, ImageSplit Split)>();
        string[] lines = File.ReadAllLines(manifest);
        for (int n = 0; n < lines.Length; n++)
        {
            string line = lines[n].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            string Where() => $"Manifest {manifest} line {n + 1}";
            var parts = line.Split(',').Select(p => p.Trim()).ToArray();
            if (rows.Count == 0 && parts.Length is 2 or 3 && parts[0].Equals("path", StringComparison.OrdinalIgnoreCase)
                && parts[1].Equals("label", StringComparison.OrdinalIgnoreCase))
                continue; // the header
            if (parts.Length is not (2 or 3))
                throw new NascentException($"{Where()} has {parts.Length} fields: write path,label or path,label,split (paths cannot hold commas)");
            if (parts[0].Length == 0)
                throw new NascentException($"{Where()} has no path: write path,label[,split]");
            if (parts[1].Length == 0)
                throw new NascentException($"{Where()} has an empty label: give each image its class name");
            var split = parts.Length == 2 ? ImageSplit.Train : parts[2].ToLowerInvariant() switch
            {
                "train" or "" => ImageSplit.Train,
                "val" or "valid" or "validation" => ImageSplit.Validation,
                "test" => ImageSplit.Test,
                _ => throw new NascentException($"{Where()} has split '{parts[2]}': use train, val or test"),
            };
            string path = Path.GetFullPath(Path.Combine(folder, parts[0]));
            if (!File.Exists(path))
                throw new NascentException($"{Where()} names {parts[0]}, which does not exist ({path})");
            rows.Add((path, parts[1], split));
        }
        if (rows.Count == 0)
            throw new NascentException($"Manifest {manifest} lists no images: write one path,label[,split] line per image");
        var names = rows.Select(r => r.Label).Distinct(StringComparer.Ordinal).ToArray();
        var classes = names.All(IsWholeNumber)
            ? names.OrderBy(l => decimal.Parse(l, CultureInfo.InvariantCulture)).ThenBy(l => l, StringComparer.Ordinal).ToArray()
            : names.Order(StringComparer.Ordinal).ToArray();
        if (classes.Length == 1)
            throw new NascentException($"Manifest {manifest} has one class only ({classes[0]}): a classifier needs at least two");
        CheckClassCount(classes.Length, manifest);
        var trainClasses = rows.Where(r => r.Split == ImageSplit.Train).Select(r => r.Label).ToHashSet(StringComparer.Ordinal);
        if (classes.FirstOrDefault(c => !trainClasses.Contains(c)) is { } missing)
            throw new NascentException($"Manifest {manifest} has no training image of class {missing}: give it train lines, or drop its lines");
        var labels = classes.Select((name, label) => (name, label)).ToDictionary(x => x.name, x => x.label, StringComparer.Ordinal);
        return new ImageListing($"manifest {manifest}", classes, rows.Select(r => new ListedImage(r.Path, labels[r.Label], r.Split)).ToArray());
    }

    private static bool IsWholeNumber(string label) => label.All(char.IsAsciiDigit);

    private static void CheckClassCount(int count, string where)
    {
        if (count > MaxClasses)
            throw new NascentException($"{where} has {count} classes; Nascent reads at most {MaxClasses}");
    }

    // Decodes in chunks, each spread over the cores; errors are reported for the first bad file in listing order.
    private static FolderImages Decode(ImageFolderOptions options, ImageListing listing, string cachePath, IProgress<ProgressEvent>? progress)
    {
        int count = listing.Images.Count;
        var decoded = new ImageDecoder.DecodedImage?[count];
        var errors = new NascentException?[count];
        var reporter = new ProgressReporter(progress, "decode", count, "images");
        const int Chunk = 512;
        for (int start = 0; start < count; start += Chunk)
        {
            int end = Math.Min(count, start + Chunk);
            Parallel.For(start, end, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            {
                try { decoded[i] = ImageDecoder.Read(listing.Images[i].Path, options.ImageSize, options.Channels); }
                catch (NascentException e) { errors[i] = e; }
            });
            if (!options.SkipBadImages && Array.FindIndex(errors, start, end - start, e => e is not null) is int bad and >= 0)
                throw NascentException.ForSetting(SkipKey,
                    $"{errors[bad]!.Message}; remove it, or pass {{setting}} to count and skip the images that do not decode");
            // Checked chunk by chunk, so a mismatch among the first files stops before any progress is shown.
            if (options.ImageSize is null) CheckOneSize(listing, decoded, end);
            reporter.Advance(end - start);
        }
        reporter.End();

        var kept = Enumerable.Range(0, count).Where(i => decoded[i] is not null).ToArray();
        var skipped = Enumerable.Range(0, count).Where(i => decoded[i] is null).Select(i => listing.Images[i].Path).ToArray();
        if (kept.Length == 0)
            throw new NascentException($"None of the {count} images of {listing.Source} decodes");
        var first = decoded[kept[0]]!;
        // Grey files asked for nothing in particular join colour ones as three equal planes.
        int channels = kept.Max(i => decoded[i]!.Channels);
        int imageSize = channels * first.Height * first.Width;
        if ((long)kept.Length * imageSize > Array.MaxLength)
            throw NascentException.ForSetting(ImageSizeKey,
                $"{kept.Length} images of {channels}x{first.Height}x{first.Width} do not fit in one array: give a smaller {{setting}}");
        var pixels = new byte[(long)kept.Length * imageSize];
        var labels = new byte[kept.Length];
        var splits = new ImageSplit[kept.Length];
        for (int k = 0; k < kept.Length; k++)
        {
            var image = decoded[kept[k]]!;
            var target = pixels.AsSpan(k * imageSize, imageSize);
            if (image.Channels == channels) image.Pixels.CopyTo(target);
            else for (int c = 0; c < channels; c++) image.Pixels.CopyTo(target[(c * image.Pixels.Length)..]);
            labels[k] = (byte)listing.Images[kept[k]].Label;
            splits[k] = listing.Images[kept[k]].Split;
        }
        var result = new FolderImages(new RawImages(pixels, labels, channels, first.Height, first.Width, listing.Classes.Count),
            splits, listing.Classes, skipped, cachePath, FromCache: false);
        CheckClassesKept(result, listing);
        return result;
    }

    private static void CheckOneSize(ImageListing listing, ImageDecoder.DecodedImage?[] decoded, int end)
    {
        int first = Array.FindIndex(decoded, 0, end, d => d is not null);
        if (first < 0) return;
        var (height, width) = (decoded[first]!.Height, decoded[first]!.Width);
        int other = Array.FindIndex(decoded, first, end - first, d => d is not null && (d.Height != height || d.Width != width));
        if (other >= 0)
            throw NascentException.ForSetting(ImageSizeKey,
                $"Images differ in size: {listing.Images[first].Path} is {width}x{height} but {listing.Images[other].Path} is " +
                $"{decoded[other]!.Width}x{decoded[other]!.Height}; give {{setting}} N to resize and centre-crop every image to N x N");
    }

    /// <summary>After skipping, every class still needs a training image.</summary>
    internal static void CheckClassesKept(FolderImages images, ImageListing listing)
    {
        var present = new bool[listing.Classes.Count];
        for (int i = 0; i < images.Images.Count; i++)
            if (images.Splits[i] == ImageSplit.Train) present[images.Images.Labels[i]] = true;
        int missing = Array.IndexOf(present, false);
        if (missing >= 0)
            throw new NascentException(
                $"Class {listing.Classes[missing]} of {listing.Source} has no training image that decodes ({images.Skipped.Count} skipped): add some");
    }

    private static string SkippedText(IReadOnlyList<string> skipped) => skipped.Count == 0 ? ""
        : $"; skipped {skipped.Count} that do not decode (first {skipped[0]})";
}
