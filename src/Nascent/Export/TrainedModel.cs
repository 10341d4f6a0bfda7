using TorchSharp.PyBridge;
using Nascent.Experiments.Search;
using Nascent.Experiments.Train;

namespace Nascent.Export;

/// <summary>
/// The network a <c>nascent train</c> run trained: its architecture and network options (from the run's result.json
/// and config.json) and its weights, model.safetensors (TorchSharp.PyBridge; PyTorch reads the file too).
/// </summary>
public sealed record TrainedModel(Architecture Architecture, NetworkOptions Network, string Dataset, string WeightsPath)
{
    public const string WeightsFile = "model.safetensors";

    public static void Save(CellNetwork network, string path) => network.save_safetensors(path);

    /// <summary>The run's trained model, or null when the run kept no weights (a search run).</summary>
    public static TrainedModel? Find(string runDirectory)
    {
        string weights = Path.Combine(runDirectory, WeightsFile);
        if (!File.Exists(weights)) return null;
        var result = RunDirectory.ReadJson<SearchResult>(Path.Combine(runDirectory, "result.json"));
        var config = RunDirectory.ReadJson<TrainConfig>(Path.Combine(runDirectory, "config.json"));
        var (inputChannels, _, _, classes) = RunData.ShapeOf(runDirectory, result.Dataset);
        var architecture = RunDirectory.ReadSpace(runDirectory, result).Parse(result.Best.Arch);
        return new TrainedModel(architecture, new NetworkOptions(inputChannels, classes, config.Training.Channels, config.Training.Cells),
            result.Dataset, weights);
    }

    /// <summary>A fresh network of the architecture with the saved weights, in eval mode; the caller disposes it.</summary>
    public CellNetwork Build()
    {
        var network = NetworkFactory.CreateStandalone(Architecture, Network);
        try
        {
            network.load_safetensors(WeightsPath, strict: true);
        }
        catch (Exception e) when (e is not NascentException)
        {
            network.Dispose();
            throw new NascentException($"{WeightsPath} does not fit the network of {Architecture} ({e.Message.Split('\n')[0]}); " +
                "ENAS micro runs trained before its separable convolutions were stacked twice hold the old layout: train again.");
        }
        network.eval();
        return network;
    }
}
