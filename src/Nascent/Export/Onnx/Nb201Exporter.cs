using Nascent.Nn;
using Nascent.Spaces;

namespace Nascent.Export.Onnx;

/// <summary>The NAS-Bench-201 network as ONNX nodes: stem, the stages' cells and reduction blocks, head
/// (<see cref="Nb201Network"/>).</summary>
internal static class Nb201Exporter
{
    public static string Emit(ModuleExporter modules, Nb201Network network, string input)
    {
        var choices = network.FixedArchitecture!.Choices;
        var x = modules.Emit(network.Stem, input);
        foreach (var layer in network.Layers)
            x = layer is Nb201Cell cell ? Cell(modules, cell, choices, x) : modules.Emit(layer, x);
        var activated = modules.Relu(modules.Emit(network.LastBn, x));
        return modules.Classify(activated, network.Classifier);
    }

    /// <summary><see cref="Nb201Cell.Forward"/>: node j sums its edges' operations; a node fed only by none is zero
    /// and still feeds the operations on its out-edges.</summary>
    private static string Cell(ModuleExporter modules, Nb201Cell cell, IReadOnlyList<int> choices, string input)
    {
        var nodes = new string?[Nb201Space.NodeCount];
        nodes[0] = input;
        for (int k = 0; k < Nb201Space.Edges.Count; k++)
        {
            var (to, from) = Nb201Space.Edges[k];
            if (choices[k] == 0) continue;
            var source = nodes[from] ??= modules.Zero(input);
            var result = modules.Emit(cell.Operation(k, choices[k]), source);
            nodes[to] = nodes[to] is null ? result : modules.Add(nodes[to]!, result);
        }
        return nodes[Nb201Space.NodeCount - 1] ?? modules.Zero(input);
    }
}
