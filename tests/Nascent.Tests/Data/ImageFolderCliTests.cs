using System.Text.Json.Nodes;
using Nascent.Tests.Cli;

namespace Nascent.Tests.Data;

/// <summary>The folder data set through the command line: every mistake in the data is one line and exit code 2, and a
/// search on a tiny folder finishes without writing into it.</summary>
public sealed class ImageFolderCliTests : IDisposable
{
    private readonly FolderScratch _temp = new();

    public void Dispose() => _temp.Dispose();

    private void TwoClasses(int each = 6)
    {
        ImageFolders.Write(_temp.Images, "train", "cat", each);
        ImageFolders.Write(_temp.Images, "train", "dog", each);
    }

    private void ExpectError(string expected, params string[] extra)
    {
        var (code, output, errors) = NascentCli.Run(["search", "--dataset", "folder", "--cache-dir", _temp.Cache, .. extra]);
        NascentCli.AssertOneLineError(expected, code, output, errors);
        Assert.DoesNotContain("   at ", errors);
    }

    private void ExpectFolderError(string expected, params string[] extra) => ExpectError(expected, ["--data-dir", _temp.Images, .. extra]);

    [Fact]
    public void No_such_folder()
    {
        ExpectFolderError($"Image folder {_temp.Images} does not exist: give --data-dir a folder holding train/<class>/ image folders");
    }

    [Fact]
    public void No_train_folder_or_no_class_folders()
    {
        Directory.CreateDirectory(_temp.Images);
        ExpectFolderError($"Image folder {_temp.Images} has no train/ folder");
        Directory.CreateDirectory(Path.Combine(_temp.Images, "train"));
        ExpectFolderError($"{Path.Combine(_temp.Images, "train")} has no class folders");
    }

    [Fact]
    public void An_empty_class()
    {
        TwoClasses();
        Directory.CreateDirectory(Path.Combine(_temp.Images, "train", "emu"));
        ExpectFolderError($"Class folder {Path.Combine(_temp.Images, "train", "emu")} has no images (.png, .jpg, .jpeg, .bmp, .webp)");
    }

    [Fact]
    public void One_class_only()
    {
        ImageFolders.Write(_temp.Images, "train", "cat", 4);
        ExpectFolderError("has one class only (cat): a classifier needs at least two class folders");
    }

    [Fact]
    public void A_file_that_does_not_decode_is_named_and_skip_bad_images_counts_it()
    {
        TwoClasses(10);
        string broken = Path.Combine(_temp.Images, "train", "dog", "broken.png");
        File.WriteAllText(broken, "not a png");
        ExpectFolderError($"Image {broken} cannot be decoded");
        ExpectFolderError("or pass --skip-bad-images to count and skip the images that do not decode");
        // Skipped, the run goes on and says how many; nothing in the folder is written.
        string before = ImageFolders.TreeHash(_temp.Images);
        var (code, output, errors) = NascentCli.Run("search", "--dataset", "folder", "--data-dir", _temp.Images, "--cache-dir", _temp.Cache,
            "--skip-bad-images", "--strategy", "rs", "--candidates", "1", "--epochs", "1", "--batch-size", "4", "--channels", "2",
            "--validation-size", "2", "--out", Path.Combine(_temp.Path, "run"));
        Assert.True(code == 0, errors);
        Assert.Contains($"skipped 1 that do not decode (first {broken})", output + errors);
        Assert.Equal(before, ImageFolders.TreeHash(_temp.Images));
    }

    [Fact]
    public void Too_few_images_for_the_validation_split()
    {
        TwoClasses(3);
        ExpectFolderError("Too few images for the validation split", "--validation-size", "3");
        ExpectFolderError("use a --validation-size of at most 2, or add val/ and test/ folders", "--validation-size", "3");
        // Enough images in all, but the stratified share of a small class would take its only image.
        ImageFolders.Write(_temp.Images, "train", "dog", 9);
        Directory.Delete(Path.Combine(_temp.Images, "train", "cat"), recursive: true);
        ImageFolders.Write(_temp.Images, "train", "cat", 1);
        ImageFolders.Write(_temp.Images, "val", "cat", 1);
        ExpectFolderError("class cat has 1 training images left and would give all of them; give a smaller --validation-size", "--validation-size", "5");
    }

    [Fact]
    public void Images_of_different_sizes_need_an_image_size()
    {
        TwoClasses();
        ImageFolders.Write(_temp.Images, "train", "emu", 2, size: 5);
        ExpectFolderError("Images differ in size", "--validation-size", "2");
        ExpectFolderError("give --image-size N to resize and centre-crop every image to N x N", "--validation-size", "2");
    }

    [Fact]
    public void Manifest_mistakes_name_the_line()
    {
        TwoClasses();
        string manifest = Path.Combine(_temp.Images, "list.csv");
        void Manifest(params string[] lines) => File.WriteAllLines(manifest, lines);
        Manifest("path,label", "train/cat/000.png,cat", "train/dog/gone.png,dog");
        ExpectError($"Manifest {manifest} line 3 names train/dog/gone.png, which does not exist", "--manifest", manifest);
        Manifest("train/cat/000.png,cat", "train/dog/000.png,");
        ExpectError($"Manifest {manifest} line 2 has an empty label", "--manifest", manifest);
        Manifest("train/cat/000.png,cat", "train/dog/000.png,dog,holdout");
        ExpectError($"Manifest {manifest} line 2 has split 'holdout': use train, val or test", "--manifest", manifest);
        Manifest("train/cat/000.png,cat,extra,fields");
        ExpectError($"Manifest {manifest} line 1 has 4 fields", "--manifest", manifest);
        ExpectError($"Manifest {Path.Combine(_temp.Images, "none.csv")} does not exist: give --manifest a CSV file",
            "--manifest", Path.Combine(_temp.Images, "none.csv"));
    }

    [Fact]
    public void Folder_settings_are_checked_before_anything_is_read()
    {
        ExpectError("An image folder needs its images: give --data-dir DIR");
        ExpectFolderError("--image-channels must be in [1, 3] (got 4)", "--image-channels", "4");
        ExpectFolderError("--image-channels must be 1 (grey) or 3 (colour) (got 2)", "--image-channels", "2");
        ExpectFolderError("--augment 'rotate' is not known: use one of none, crop-flip", "--augment", "rotate");
        NascentCli.AssertOneLineError($"lies inside the image folder {_temp.Images}, which Nascent never writes to: give --cache-dir another folder",
            "search", "--dataset", "folder", "--data-dir", _temp.Images, "--cache-dir", Path.Combine(_temp.Images, "cache"));
        NascentCli.AssertOneLineError("--image-size belongs to the folder data set", "search", "--image-size", "32");
    }

    [Fact]
    public void A_search_on_a_tiny_folder_finishes_records_its_data_and_leaves_the_folder_unchanged()
    {
        ImageFolders.Write(_temp.Images, "train", "cat", 12, size: 10, channels: 3);
        ImageFolders.Write(_temp.Images, "train", "dog", 12, size: 10, channels: 3);
        ImageFolders.Write(_temp.Images, "val", "cat", 2, size: 10, channels: 3);
        ImageFolders.Write(_temp.Images, "val", "dog", 2, size: 10, channels: 3);
        string before = ImageFolders.TreeHash(_temp.Images);
        string run = Path.Combine(_temp.Path, "run");
        var (code, _, errors) = NascentCli.Run("search", "--dataset", "folder", "--data-dir", _temp.Images, "--cache-dir", _temp.Cache,
            "--image-size", "8", "--augment", "crop-flip", "--epochs", "1", "--candidates", "2", "--batch-size", "8",
            "--channels", "4", "--ranking-images", "4", "--final-top", "1", "--validation-size", "2", "--out", run, "--quiet");
        Assert.True(code == 0, errors);
        Assert.Equal(before, ImageFolders.TreeHash(_temp.Images));
        Assert.Single(Directory.GetFiles(_temp.Cache, "folder-*.bin"));
        var data = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "config.json")))!["data"]!;
        Assert.Equal("folder", data["dataset"]!.GetValue<string>());
        Assert.Equal(_temp.Images, data["data_dir"]!.GetValue<string>());
        Assert.Equal(8, data["image_size"]!.GetValue<int>());
        Assert.Equal("crop-flip", data["augment"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(run, "result.json")));

        // Trained from the search, the model records its input and classes (data.json) and exports with them.
        string train = Path.Combine(_temp.Path, "train");
        // The folder, image size and cache are the search's: its "train it" line runs as printed.
        (code, _, errors) = NascentCli.Run("train", "--from", run,
            "--epochs", "1", "--batch-size", "8", "--channels", "4", "--validation-size", "2", "--out", train, "--quiet");
        Assert.True(code == 0, errors);
        var described = JsonNode.Parse(File.ReadAllText(Path.Combine(train, "data.json")))!;
        Assert.Equal(new[] { "cat", "dog" }, described["class_names"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal((3, 8, 8, 2), (described["channels"]!.GetValue<int>(), described["height"]!.GetValue<int>(),
            described["width"]!.GetValue<int>(), described["classes"]!.GetValue<int>()));
        (code, _, errors) = NascentCli.Run("export", train, "--format", "safetensors");
        Assert.True(code == 0, errors);
        var model = JsonNode.Parse(File.ReadAllText(Path.Combine(train, "export", "model.json")))!;
        Assert.Equal(new[] { 3, 8, 8 }, model["input_shape"]!.AsArray().Select(n => n!.GetValue<int>()));
        // ONNX: the folder's class names and normalisation travel into model.json, and predict answers with them.
        string onnx = Path.Combine(_temp.Path, "onnx");
        (code, _, errors) = NascentCli.Run("export", train, "--format", "onnx", "--out", onnx);
        Assert.True(code == 0, errors);
        model = JsonNode.Parse(File.ReadAllText(Path.Combine(onnx, "model.json")))!;
        Assert.Equal(new[] { "cat", "dog" }, model["class_names"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(described["mean"]!.ToJsonString(), model["onnx"]!["mean"]!.ToJsonString());
        (code, var predicted, errors) = NascentCli.Run("predict", Path.Combine(onnx, "model.onnx"), Path.Combine(_temp.Images, "val"));
        Assert.True(code == 0, errors);
        var lines = predicted.Trim().Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.All(lines, l => Assert.Contains(l.Split('\t')[1], new[] { "cat", "dog" }));
        Assert.Equal(before, ImageFolders.TreeHash(_temp.Images));
        Assert.Single(Directory.GetFiles(_temp.Cache, "folder-*.bin")); // the train run read the search's cache
    }

    [Fact]
    public void A_short_search_runs_on_mnist_written_as_pngs()
    {
        var (train, _) = Nascent.Data.DatasetLoader.ReadRaw(Nascent.Data.DatasetKind.Mnist,
            Nascent.Data.DataDirectories.DatasetFolder(Nascent.Data.DataDirectories.Resolve(null), Nascent.Data.DatasetKind.Mnist));
        ImageFolders.WriteRaw(_temp.Images, train, 300);
        string run = Path.Combine(_temp.Path, "run");
        var (code, _, errors) = NascentCli.Run("search", "--dataset", "folder", "--data-dir", _temp.Images, "--cache-dir", _temp.Cache,
            "--strategy", "rs", "--candidates", "1", "--epochs", "1", "--batch-size", "16", "--channels", "4", "--out", run, "--quiet");
        Assert.True(code == 0, errors);
        var result = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "result.json")))!;
        Assert.Equal("folder", result["dataset"]!.GetValue<string>());
        Assert.InRange(result["best"]!["val_acc"]!.GetValue<double>(), 0, 100);
    }

    [Fact]
    public void Data_prepare_decodes_once_and_then_reads_the_cache()
    {
        TwoClasses(5);
        ImageFolders.Write(_temp.Images, "test", "dog", 2);
        string[] args = ["data", "prepare", "--dataset", "folder", "--data-dir", _temp.Images, "--cache-dir", _temp.Cache, "--quiet"];
        var (code, output, errors) = NascentCli.Run(args);
        Assert.True(code == 0, errors);
        Assert.Contains("12 images 1x8x8, 2 classes (cat, dog); train 10, val 0, test 2", output);
        Assert.Contains("decoded in", output);
        (code, output, errors) = NascentCli.Run(args);
        Assert.True(code == 0, errors);
        Assert.Contains("read from the cache", output);
    }
}
