namespace Nascent.Data;

/// <summary>The class names of the built-in data sets, in label order (what an exported model's model.json lists).</summary>
public static class ClassNames
{
    private static readonly string[] Cifar10 = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];
    private static readonly string[] FashionMnist = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>MNIST's digits, Fashion-MNIST's and CIFAR-10's published names; CIFAR-100's fine labels by number.</summary>
    public static IReadOnlyList<string> Of(DatasetKind kind) => kind switch
    {
        DatasetKind.FashionMnist => FashionMnist,
        DatasetKind.Cifar10 => Cifar10,
        _ => Enumerable.Range(0, kind.Classes()).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
    };
}
