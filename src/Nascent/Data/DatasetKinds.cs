namespace Nascent.Data;

/// <summary>Names of each <see cref="DatasetKind"/>: as the command line spells it, as people write it, and its folder.</summary>
public static class DatasetKinds
{
    public static IReadOnlyList<DatasetKind> All { get; } = Enum.GetValues<DatasetKind>();

    /// <summary>The image data set a command uses when none is named.</summary>
    public const string Default = "mnist";

    /// <summary>The command-line spelling (mnist, fashion-mnist, cifar10, cifar100, folder); for the built-in sets also
    /// the folder under the data directory.</summary>
    public static string CliName(this DatasetKind kind) => kind switch
    {
        DatasetKind.Mnist => "mnist",
        DatasetKind.FashionMnist => "fashion-mnist",
        DatasetKind.Cifar10 => "cifar10",
        DatasetKind.Cifar100 => "cifar100",
        DatasetKind.Folder => "folder",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The name used in messages (MNIST, Fashion-MNIST, CIFAR-10, CIFAR-100).</summary>
    public static string DisplayName(this DatasetKind kind) => kind switch
    {
        DatasetKind.Mnist => "MNIST",
        DatasetKind.FashionMnist => "Fashion-MNIST",
        DatasetKind.Cifar10 => "CIFAR-10",
        DatasetKind.Cifar100 => "CIFAR-100",
        DatasetKind.Folder => "image folder",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Whether the kind's shape and classes are fixed (<see cref="Classes"/>, <see cref="InputShape"/>); a
    /// folder's come from its files (<see cref="ImageDataset.Channels"/>, <see cref="ImageDataset.Classes"/>).</summary>
    public static bool IsBuiltIn(this DatasetKind kind) => kind != DatasetKind.Folder;

    public static int Classes(this DatasetKind kind) => kind switch
    {
        DatasetKind.Cifar100 => 100,
        DatasetKind.Folder => throw FolderShape(),
        _ => 10,
    };

    /// <summary>The images' channels, height and width (MNIST-like 1x28x28, CIFAR 3x32x32); a folder has none of its own.</summary>
    public static (int Channels, int Height, int Width) InputShape(this DatasetKind kind) => kind switch
    {
        DatasetKind.Mnist or DatasetKind.FashionMnist => (1, 28, 28),
        DatasetKind.Cifar10 or DatasetKind.Cifar100 => (3, 32, 32),
        DatasetKind.Folder => throw FolderShape(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static InvalidOperationException FolderShape() =>
        new("An image folder's classes and shape come from its files: read them from the loaded ImageDataset.");

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
            "folder" or "imagefolder" => DatasetKind.Folder,
            _ => throw new NascentException(
                $"--dataset '{name}' is not known: use one of {string.Join(", ", All.Select(k => k.CliName()))}"),
        };
    }
}
