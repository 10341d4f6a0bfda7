namespace Nascent.Export.Onnx;

/// <summary>The ENAS micro network as ONNX nodes: stem, cells fed by the two cells before them, ReLU and the head
/// (<see cref="EnasMicroNetwork"/>).</summary>
internal static class EnasMicroExporter
{
    public static string Emit(ModuleExporter modules, EnasMicroNetwork network, string input)
    {
        var architecture = network.FixedArchitecture!;
        string prevPrev = modules.Emit(network.Stem, input), prev = prevPrev;
        foreach (var cell in network.Cells)
            (prevPrev, prev) = (prev, Cell(modules, cell, architecture, prevPrev, prev));
        return modules.Classify(modules.Relu(prev), network.Classifier);
    }

    /// <summary>The cell's own data flow (<see cref="EnasMicroCell.Flow"/>) on ONNX values.</summary>
    private static string Cell(ModuleExporter modules, EnasMicroCell cell, Architecture architecture, string prevPrev, string prev) =>
        cell.Flow(prevPrev, prev, architecture, modules.Emit, modules.Add, modules.Relu, _ => { });
}
