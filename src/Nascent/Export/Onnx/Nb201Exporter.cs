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

    /// <summary>The cell's own data flow (<see cref="Nb201Cell.Flow"/>) on ONNX values.</summary>
    private static string Cell(ModuleExporter modules, Nb201Cell cell, IReadOnlyList<int> choices, string input) =>
        Nb201Cell.Flow(input, choices, modules.Zero, (k, source) => modules.Emit(cell.Operation(k, choices[k]), source), modules.Add);
}
