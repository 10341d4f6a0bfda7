using Nascent.Export.Onnx;

namespace Nascent.Export;

/// <summary>One entry of an exported state dictionary.</summary>
public sealed record TensorEntry(string Key, IReadOnlyList<long> Shape, string Dtype);

/// <summary>
/// model.json beside exported weights: what to build and how to load them (schema in docs/RESULTS.md). An ONNX
/// export also gives the class names in label order and the graph's signature (<see cref="Onnx"/>: input and output
/// names, the pixel scale and the normalisation the graph applies); an InstaNAS export names its meta-graph
/// (<see cref="MetaGraph"/>) instead of cell-network options (<see cref="Network"/>).
/// </summary>
public sealed record ModelDescription(string Format, string Arch, string Space, int? Nodes, string Dataset,
    IReadOnlyList<int> InputShape, NetworkOptions? Network, string Weights, string WeightsFormat,
    IReadOnlyList<TensorEntry> StateDict, IReadOnlyList<string> Rebuild, string Retrain,
    IReadOnlyList<string>? ClassNames = null, OnnxSignature? Onnx = null, MetaGraphOptions? MetaGraph = null)
{
    public const string FileName = "model.json";
    public const string CurrentFormat = "nascent-model/1";
}
