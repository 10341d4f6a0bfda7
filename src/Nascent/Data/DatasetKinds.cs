namespace Nascent.Data;

/// <summary>Names of each <see cref="DatasetKind"/>: as the command line spells it, as people write it, and its folder.</summary>
public static class DatasetKinds
{
    public static IReadOnlyList<DatasetKind> All { get; } = Enum.GetValues<DatasetKind>();

    /// <summary>The image data set a command uses when none is named.</summary>
    public const string Default = "mnist";

    /// <summary>The command-line spelling (mnist, fashion-mnist, cifar10, cifar100); also the folder under the data directory.</summary>
    public static string CliName(this DatasetKind kind) => kind switch
    {
        DatasetKind.Mnist => "mnist",
        DatasetKind.FashionMnist => "fashion-mnist",
        DatasetKind.Cifar10 => "cifar10",
        DatasetKind.Cifar100 => "cifar100",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The name used in messages (MNIST, Fashion-MNIST, CIFAR-10, CIFAR-100).</summary>
    public static string DisplayName(this DatasetKind kind) => kind switch
    {
        DatasetKind.Mnist => "MNIST",
        DatasetKind.FashionMnist => "Fashion-MNIST",
        DatasetKind.Cifar10 => "CIFAR-10",
        DatasetKind.Cifar100 => "CIFAR-100",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static int Classes(this DatasetKind kind) => kind == DatasetKind.Cifar100 ? 100 : 10;

    /// <summary>The images' channels, height and width (MNIST-like 1x28x28, CIFAR 3x32x32).</summary>
    public static (int Channels, int Height, int Width) InputShape(this DatasetKind kind) => kind switch
    {
        DatasetKind.Mnist or DatasetKind.FashionMnist => (1, 28, 28),
        DatasetKind.Cifar10 or DatasetKind.Cifar100 => (3, 32, 32),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Parses a --dataset value; accepts the usual spellings (CIFAR-10, fashion_mnist) case-insensitively.</summary>
    public static DatasetKind Parse(string name)
    {
        string key = new string(name.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();
        return key switch
        {
            "mnist" => DatasetKind.Mnist,
            "fashionmnist" => DatasetKind.FashionMnist,
            "cifar10" => DatasetKind.Cifar10,
            "cifar100" => DatasetKind.Cifar100,
            _ => throw new NascentException(
                $"--dataset '{name}' is not known: use one of {string.Join(", ", All.Select(k => k.CliName()))}"),
        };
    }
}
