namespace Nascent.Export;

/// <summary>One entry of an exported state dictionary.</summary>
public sealed record TensorEntry(string Key, IReadOnlyList<long> Shape, string Dtype);

/// <summary>model.json beside exported weights: what to build and how to load them (schema in docs/RESULTS.md).</summary>
public sealed record ModelDescription(string Format, string Arch, string Space, int? Nodes, string Dataset,
    IReadOnlyList<int> InputShape, NetworkOptions Network, string Weights, string WeightsFormat,
    IReadOnlyList<TensorEntry> StateDict, IReadOnlyList<string> Rebuild, string Retrain)
{
    public const string FileName = "model.json";
    public const string CurrentFormat = "nascent-model/1";
}
