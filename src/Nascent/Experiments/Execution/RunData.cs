namespace Nascent.Experiments.Execution;

/// <summary>
/// data.json of a train run: what its network takes in and gives out, as the data it trained on had it. The built-in
/// sets have a fixed shape; an image folder's shape, classes and class names come from its files, so whatever rebuilds
/// or serves the model (export, predict) reads them here. Mean and std are the per-channel normalisation on the [0, 1]
/// scale (x = (pixel / 255 - mean) / std); <see cref="ImageSize"/> and <see cref="Channels"/> say how a new image is
/// decoded to fit (<see cref="ImageDecoder.Decode"/>).
/// </summary>
public sealed record RunData(string Dataset, int Channels, int Height, int Width, int Classes, IReadOnlyList<string> ClassNames,
    IReadOnlyList<float> Mean, IReadOnlyList<float> Std, int? ImageSize)
{
    public const string FileName = "data.json";

    /// <summary>The run's data.json, or null for a run written before train runs kept one.</summary>
    public static RunData? Read(string runDirectory)
    {
        string path = Path.Combine(runDirectory, FileName);
        return File.Exists(path) ? RunDirectory.ReadJson<RunData>(path) : null;
    }

    /// <summary>What <paramref name="train"/> gives a network; a built-in set's class names are its published ones
    /// (<see cref="Data.ClassNames"/>).</summary>
    public static RunData Of(string dataset, ImageDataset train, int? imageSize) =>
        new(dataset, train.Channels, train.Height, train.Width, train.Classes,
            train.ClassNames.Count > 0 ? train.ClassNames : Data.ClassNames.Of(DatasetKinds.Parse(dataset)), train.Mean, train.Std, imageSize);

    /// <summary>The input shape and classes of a run's network: from data.json when the run has one, else the built-in
    /// set's own.</summary>
    public static (int Channels, int Height, int Width, int Classes) ShapeOf(string runDirectory, string dataset)
    {
        if (Read(runDirectory) is { } data) return (data.Channels, data.Height, data.Width, data.Classes);
        string path = Path.Combine(runDirectory, FileName);
        var kind = DatasetKinds.Parse(dataset);
        if (!kind.IsBuiltIn())
            throw new Core.NascentException($"{path} not found: the run trained on an image folder and does not say its shape; train it again");
        var (channels, height, width) = kind.InputShape();
        return (channels, height, width, kind.Classes());
    }
}
