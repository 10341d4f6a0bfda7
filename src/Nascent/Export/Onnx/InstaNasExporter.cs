namespace Nascent.Export.Onnx;

/// <summary>An InstaNAS meta-graph under one fixed selection as ONNX nodes: stem (BN, ReLU), each block's own data
/// flow (<see cref="InstaNasBlock.Flow"/>), head (<see cref="InstaNasNetwork.Forward(TorchSharp.torch.Tensor, bool[,])"/>).</summary>
internal static class InstaNasExporter
{
    public static string Emit(ModuleExporter modules, InstaNasNetwork network, bool[,] selection, string input)
    {
        var x = modules.Relu(modules.Emit(network.StemBn, modules.Emit(network.StemConv, input)));
        var blocks = network.Blocks;
        var on = new bool[selection.GetLength(1)];
        for (int b = 0; b < blocks.Count; b++)
        {
            for (int m = 0; m < on.Length; m++) on[m] = selection[b, m];
            x = blocks[b].Flow(x, on, modules.Emit, modules.Add, value => value);
        }
        return modules.Classify(x, network.Classifier);
    }
}
