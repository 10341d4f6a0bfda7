using Nascent.Nn;

namespace Nascent.Export.Onnx;

/// <summary>An InstaNAS meta-graph under one fixed selection as ONNX nodes: stem (BN, ReLU6), per block the modules
/// that run (<see cref="InstaNasBlock.Effective"/>) summed, plus the input where the block keeps the shape, head
/// (<see cref="InstaNasNetwork.Forward(TorchSharp.torch.Tensor, bool[,])"/>).</summary>
internal static class InstaNasExporter
{
    public static string Emit(ModuleExporter modules, InstaNasNetwork network, bool[,] selection, string input)
    {
        var x = modules.Relu6(modules.Emit(network.StemBn, modules.Emit(network.StemConv, input)));
        var blocks = network.Blocks;
        var on = new bool[selection.GetLength(1)];
        for (int b = 0; b < blocks.Count; b++)
        {
            for (int m = 0; m < on.Length; m++) on[m] = selection[b, m];
            string? sum = null;
            for (int m = 0; m < on.Length; m++)
            {
                if (!blocks[b].Effective(on, m)) continue;
                var y = modules.Emit(blocks[b][m], x);
                sum = sum is null ? y : modules.Add(sum, y);
            }
            x = !blocks[b].KeepsShape ? sum! : sum is null ? x : modules.Add(sum, x);
        }
        return modules.Classify(x, network.Classifier);
    }
}
