using Nascent.Nn;
using Nascent.Spaces;

namespace Nascent.Export.Onnx;

/// <summary>The ENAS micro network as ONNX nodes: stem, cells fed by the two cells before them, ReLU and the head
/// (<see cref="EnasMicroNetwork"/>).</summary>
internal static class EnasMicroExporter
{
    public static string Emit(ModuleExporter modules, EnasMicroNetwork network, string input)
    {
        var architecture = network.FixedArchitecture!;
        var space = (EnasMicroSpace)network.Space;
        string prevPrev = modules.Emit(network.Stem, input), prev = prevPrev;
        foreach (var cell in network.Cells)
            (prevPrev, prev) = (prev, Cell(modules, cell, space, architecture, prevPrev, prev));
        return modules.Classify(modules.Relu(prev), network.Classifier);
    }

    /// <summary><see cref="EnasMicroCell.Forward"/>: the used inputs calibrated, each node the sum of its two
    /// operations, the loose ends through ReLU and their own 1 x 1 convolutions, summed, batch norm.</summary>
    private static string Cell(ModuleExporter modules, EnasMicroCell cell, EnasMicroSpace space, Architecture architecture,
        string prevPrev, string prev)
    {
        var nodes = new string?[space.Nodes + 2];
        string Input(int index) => nodes[index] ??= index == 0 ? modules.Emit(cell.CalibratePrevPrev!, prevPrev)
            : index == 1 ? modules.Emit(cell.CalibratePrev!, prev) : throw new InvalidOperationException("Node used before it is computed.");
        for (int b = 0; b < space.Nodes; b++)
        {
            var n = space.Node(architecture, cell.CellType, b);
            var a = modules.Emit(cell.Operation(b, 0, n.OpA), Input(n.InputA));
            var c = modules.Emit(cell.Operation(b, 1, n.OpB), Input(n.InputB));
            nodes[b + 2] = modules.Add(a, c);
        }
        string? sum = null;
        foreach (var loose in space.LooseEnds(architecture, cell.CellType))
        {
            var projected = modules.Emit(cell.OutputConv(loose), modules.Relu(nodes[loose]!));
            sum = sum is null ? projected : modules.Add(sum, projected);
        }
        return modules.Emit(cell.OutputBn, sum!);
    }
}
