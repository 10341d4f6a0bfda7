using Google.Protobuf;
using Onnx;

namespace Nascent.Export.Onnx;

/// <summary>
/// Writes a trained Nascent network as an ONNX model, from its own module types (no tracer: Nascent owns every
/// operation). Input <c>input</c> float32 [batch, C, H, W] on the [0, 1] scale, normalised inside the graph (Sub,
/// Div); output <c>logits</c> float32 [batch, classes]; the batch dimension is the symbolic <c>batch</c>, so one
/// file serves every batch size (PyTorch's <c>dynamic_axes={"input": {0: "batch"}}</c> convention); opset 17.
/// Exportable: standalone NAS-Bench-201 and ENAS micro networks, and an InstaNAS meta-graph under one fixed
/// selection. Batch norm is exported in eval mode, with the running statistics.
/// </summary>
public static class OnnxExport
{
    public const string FileName = "model.onnx";

    /// <summary>A standalone cell network (NAS-Bench-201 or ENAS micro).</summary>
    public static ModelProto Build(CellNetwork network, OnnxInput input)
    {
        if (network.IsSupernet)
            throw new NascentException("A supernet runs whichever path it is given and cannot be exported: export a standalone network.");
        return Build(network, input, $"{network.Space.Name} {network.FixedArchitecture}", (modules, x) => network switch
        {
            Nb201Network nb201 => Nb201Exporter.Emit(modules, nb201, x),
            EnasMicroNetwork enas => EnasMicroExporter.Emit(modules, enas, x),
            _ => throw new NascentException($"ONNX export has no rule for the network {network.GetType().Name} (space {network.Space.Name})."),
        });
    }

    /// <summary>An InstaNAS meta-graph running one selection for every image.</summary>
    public static ModelProto Build(InstaNasNetwork network, Architecture selection, OnnxInput input)
    {
        var matrix = network.ToMatrix(selection);
        return Build(network, input, $"instanas {selection}", (modules, x) => InstaNasExporter.Emit(modules, network, matrix, x));
    }

    public static void Write(ModelProto model, string path)
    {
        using var file = File.Create(path);
        model.WriteTo(file);
    }

    private static ModelProto Build(torch.nn.Module network, OnnxInput input, string description, Func<ModuleExporter, string, string> body)
    {
        input.Validate();
        var state = network.named_parameters().Select(p => (p.name, (torch.Tensor)p.parameter))
            .Concat(network.named_buffers().Select(b => (b.name, b.buffer)));
        var graph = new OnnxGraph("nascent", state);
        var modules = new ModuleExporter(graph);
        var x = graph.Input(OnnxInput.InputName, input.Channels, input.Height, input.Width);
        var shape = new long[] { 1, input.Channels, 1, 1 };
        var centred = graph.Node("Sub", [x, graph.Constant("mean", input.Mean.ToArray(), shape)]);
        var normalised = graph.Node("Div", [centred, graph.Constant("std", input.Std.ToArray(), shape)]);
        using (torch.no_grad())
            graph.Output(body(modules, normalised), OnnxInput.OutputName, Classes(network));
        return graph.ToModel($"Nascent {description}: input {OnnxInput.InputName} [batch, {input.Channels}, {input.Height}, {input.Width}] " +
            $"pixels in [0, 1], normalised inside; output {OnnxInput.OutputName} [batch, classes].");
    }

    private static int Classes(torch.nn.Module network) => network switch
    {
        CellNetwork cell => cell.Options.Classes,
        InstaNasNetwork insta => insta.Options.Classes,
        _ => throw new ArgumentException(network.GetType().Name),
    };
}
