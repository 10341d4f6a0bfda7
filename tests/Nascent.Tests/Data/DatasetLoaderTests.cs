using Nascent.Core;
using Nascent.Data;

namespace Nascent.Tests.Data;

public sealed class DatasetLoaderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public DatasetLoaderTests() => DataFiles.WriteIdxSet(_temp.Sub("fashion-mnist"), trainCount: 200, testCount: 40, height: 4, width: 4);

    public void Dispose() => _temp.Dispose();

    private DataOptions Options(ulong seed = 7) => new()
    {
        Dataset = DatasetKind.FashionMnist, DataDirectory = _temp.Path, ValidationSize = 30, Seed = seed,
    };

    private (int[] Train, int[] Validation, int[] Test) Ids(DataOptions options)
    {
        using var splits = DatasetLoader.Load(options);
        return (DataFiles.ImageIds(splits.Train), DataFiles.ImageIds(splits.Validation), DataFiles.ImageIds(splits.Test));
    }

    [Fact]
    public void Same_seed_gives_the_same_split()
    {
        var a = Ids(Options(seed: 11));
        var b = Ids(Options(seed: 11));
        Assert.Equal(a.Train, b.Train);
        Assert.Equal(a.Validation, b.Validation);
    }

    [Fact]
    public void Different_seeds_give_different_validation_sets()
    {
        var a = Ids(Options(seed: 1));
        var b = Ids(Options(seed: 2));
        Assert.NotEqual(a.Validation, b.Validation);
    }

    [Fact]
    public void Validation_is_carved_from_train_without_overlap_and_test_is_the_test_file()
    {
        var (train, validation, test) = Ids(Options());
        Assert.Equal(170, train.Length);
        Assert.Equal(30, validation.Length);
        Assert.Empty(train.Intersect(validation));
        Assert.Equal(Enumerable.Range(0, 200), train.Concat(validation).Order());
        Assert.Equal(Enumerable.Range(0, 40), test);
    }

    [Fact]
    public void Subsets_are_drawn_from_their_part_and_keep_the_split()
    {
        var full = Ids(Options());
        var sub = Ids(Options() with { TrainSubset = 50, ValidationSubset = 10, TestSubset = 15 });
        Assert.Equal((50, 10, 15), (sub.Train.Length, sub.Validation.Length, sub.Test.Length));
        Assert.Subset(full.Train.ToHashSet(), sub.Train.ToHashSet());
        Assert.Subset(full.Validation.ToHashSet(), sub.Validation.ToHashSet());
        Assert.Equal(15, sub.Test.Distinct().Count());
        // A random choice, not the first images of the file.
        Assert.NotEqual(full.Train.Take(50), sub.Train);
    }

    [Fact]
    public void Normalisation_comes_from_training_images_only()
    {
        using var splits = DatasetLoader.Load(Options());
        Assert.Equal(splits.Train.Mean, splits.Validation.Mean);
        Assert.Equal(splits.Train.Std, splits.Test.Std);
        Assert.InRange(splits.Train.Images.mean().item<float>(), -1e-4f, 1e-4f);
        Assert.InRange(splits.Train.Images.std(unbiased: false).item<float>(), 1 - 1e-4f, 1 + 1e-4f);
        Assert.NotInRange(splits.Validation.Images.mean().item<float>(), -1e-4f, 1e-4f);
    }

    [Theory]
    [InlineData(0, null, null, null, "--validation-size must be at least 1 (got 0)")]
    [InlineData(30, 0, null, null, "--train-subset must be at least 1 (got 0); leave it out to use all images")]
    [InlineData(30, null, -3, null, "--validation-subset must be at least 1 (got -3); leave it out to use all images")]
    [InlineData(30, null, null, 0, "--test-subset must be at least 1 (got 0); leave it out to use all images")]
    [InlineData(30, null, 31, null, "--validation-subset 31 is more than --validation-size 30: make it at most 30")]
    [InlineData(200, null, null, null, "--validation-size 200 leaves no training images: Fashion-MNIST has 200; use at most 199")]
    [InlineData(30, 171, null, null, "--train-subset 171 is more than the 170 Fashion-MNIST training images left after --validation-size 30: use at most 170")]
    [InlineData(30, null, null, 41, "--test-subset 41 is more than the 40 Fashion-MNIST test images: use at most 40")]
    public void Bad_sizes_are_refused_naming_the_option(int validation, int? train, int? validationSubset, int? test, string message)
    {
        var options = Options() with { ValidationSize = validation, TrainSubset = train, ValidationSubset = validationSubset, TestSubset = test };
        var e = Assert.Throws<NascentException>(() => DatasetLoader.Load(options));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Default_validation_size_is_5000()
    {
        Assert.Null(new DataOptions { Dataset = DatasetKind.Mnist, DataDirectory = "x" }.ValidationSize);
        Assert.Equal(5000, DataOptions.DefaultValidationSize);
    }
}
