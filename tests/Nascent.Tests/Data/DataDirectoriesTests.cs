using Nascent.Core;
using Nascent.Data;

namespace Nascent.Tests.Data;

public sealed class DataDirectoriesTests
{
    [Fact]
    public void Option_wins_over_the_environment_and_the_default()
    {
        Assert.Equal("/opt/data", DataDirectories.Resolve("/opt/data", "/env/data", "/home/u"));
    }

    [Fact]
    public void Environment_variable_is_used_when_no_option_is_given()
    {
        Assert.Equal("/env/data", DataDirectories.Resolve(null, "/env/data", "/home/u"));
        Assert.Equal("/env/data", DataDirectories.Resolve("", "/env/data", "/home/u"));
    }

    [Fact]
    public void Default_is_nascent_data_under_home()
    {
        Assert.Equal("/home/u/.nascent/data", DataDirectories.Resolve(null, null, "/home/u"));
        Assert.Equal("/home/u/.nascent/data", DataDirectories.Resolve(null, " ", "/home/u"));
    }

    [Fact]
    public void Unexpanded_tilde_means_home()
    {
        Assert.Equal("/home/u/sets", DataDirectories.Resolve(null, "~/sets", "/home/u"));
    }

    [Fact]
    public void Each_data_set_has_its_own_folder()
    {
        Assert.Equal(
            ["/d/mnist", "/d/fashion-mnist", "/d/cifar10", "/d/cifar100"],
            DatasetKinds.All.Where(k => k.IsBuiltIn()).Select(k => DataDirectories.DatasetFolder("/d", k)));
    }

    [Theory]
    [InlineData("mnist", DatasetKind.Mnist)]
    [InlineData("fashion-mnist", DatasetKind.FashionMnist)]
    [InlineData("Fashion_MNIST", DatasetKind.FashionMnist)]
    [InlineData("cifar10", DatasetKind.Cifar10)]
    [InlineData("CIFAR-100", DatasetKind.Cifar100)]
    public void Dataset_names_parse(string name, DatasetKind kind) => Assert.Equal(kind, DatasetKinds.Parse(name));

    [Fact]
    public void Unknown_dataset_name_lists_the_known_ones()
    {
        var e = Assert.Throws<NascentException>(() => DatasetKinds.Parse("imagenet"));
        Assert.Equal("--dataset 'imagenet' is not known: use one of mnist, fashion-mnist, cifar10, cifar100, folder", e.Message);
    }
}
