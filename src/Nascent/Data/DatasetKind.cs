namespace Nascent.Data;

/// <summary>The image classification data sets Nascent reads. <see cref="DatasetKinds"/> maps them to names and folders.</summary>
public enum DatasetKind
{
    Mnist,
    FashionMnist,
    Cifar10,
    Cifar100,

    /// <summary>The user's own images: a folder in torchvision's ImageFolder layout, or a CSV manifest (<see cref="ImageFolder"/>).</summary>
    Folder,
}
