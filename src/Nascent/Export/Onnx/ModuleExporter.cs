using BatchNorm = Nascent.Nn.BatchNorm;
using static Nascent.Export.Onnx.OnnxGraph;

namespace Nascent.Export.Onnx;

/// <summary>
/// The ONNX nodes of each module type the exportable networks are built from: TorchSharp's Conv2d, Linear,
/// AvgPool2d and Sequential, and Nascent's BatchNorm, Identity, ReluConvBn, SeparableConv, FactorizedReduce,
/// Pool3x3, ResidualReduction, InvertedResidual, BasicBlock and ConvBnActivation, each as its <c>forward</c> computes it in
/// eval mode. Operator semantics are those of the ONNX operator specification at opset 17.
/// </summary>
internal sealed class ModuleExporter(OnnxGraph graph)
{
    private readonly Dictionary<float, string> _scalars = new();

    public OnnxGraph Graph => graph;

    /// <summary>The output of <paramref name="module"/> applied to the value <paramref name="x"/>.</summary>
    public string Emit(nn.Module module, string x) => module switch
    {
        Conv2d conv => Conv(conv, x),
        Linear linear => Gemm(linear, x),
        // AvgPool2d: an unset stride is the kernel, an unset padding 0 (PyTorch's defaults)
        AvgPool2d pool => AveragePool(x, pool.kernel_size, pool.stride ?? pool.kernel_size, pool.padding ?? [0, 0], pool.count_include_pad, pool.ceil_mode),
        Sequential sequence => sequence.children().Aggregate(x, (value, child) => Emit(child, value)),
        BatchNorm norm => BatchNormalization(norm, x),
        Nn.Identity => x,
        ReluConvBn r => Emit(r.Bn, Emit(r.Conv, Relu(x))),
        SeparableConv s => s.Stages.Aggregate(x, (value, stage) => Emit(stage, Relu(value))),
        FactorizedReduce f => FactorizedReduction(f, x),
        // Pool3x3: NAS-Bench-201's average pooling leaves the padding out of the count (count_include_pad = 0);
        // ONNX's MaxPool, like PyTorch's, never picks a padded position.
        Pool3x3 { IsMax: true } => graph.Node("MaxPool", [x], [Ints("kernel_shape", 3, 3), Ints("strides", 1, 1), Ints("pads", 1, 1, 1, 1)]),
        Pool3x3 => AveragePool(x, [3, 3], [1, 1], [1, 1], countIncludePad: false, ceilMode: false),
        ResidualReduction r => Add(Emit(r.Second, Emit(r.First, x)), Emit(r.Shortcut, x)),
        InvertedResidual ir => InvertedResidual(ir, x),
        BasicBlock b => b.Layers.Aggregate(x, (value, layer) => Emit(layer, value)),
        ConvBnActivation c => Activate(c.Activation, Emit(c.Bn, Emit(c.Conv, x))),
        _ => throw new NascentException($"ONNX export has no rule for the module {module.GetType().Name}."),
    };

    public string Relu(string x) => graph.Node("Relu", [x]);

    private string Activate(Activation activation, string x) => activation switch
    {
        Activation.Relu => Relu(x),
        Activation.Relu6 => Relu6(x),
        _ => x,
    };

    /// <summary>Expansion, depthwise and projection (ReLU after the first two), plus the input where the module keeps the shape.</summary>
    private string InvertedResidual(InvertedResidual ir, string x)
    {
        var y = ir.Layers.Aggregate(x, (value, layer) => Emit(layer, value));
        return ir.HasIdentity ? Add(y, x) : y;
    }

    /// <summary>ReLU6 as Clip(x, 0, 6) (Clip takes its bounds as inputs since opset 11).</summary>
    public string Relu6(string x) =>
        graph.Node("Clip", [x, Scalar(0f), Scalar(6f)]);

    public string Add(string a, string b) => graph.Node("Add", [a, b]);

    /// <summary>A zero tensor of <paramref name="x"/>'s shape (zeros_like): x times 0.</summary>
    public string Zero(string x) => graph.Node("Mul", [x, Scalar(0f)]);

    /// <summary>A float32 scalar constant, once per value.</summary>
    private string Scalar(float value)
    {
        if (!_scalars.TryGetValue(value, out var name))
            _scalars[value] = name = graph.Constant(value == 0 ? "zero" : $"scalar_{value.ToString(System.Globalization.CultureInfo.InvariantCulture)}", [value]);
        return name;
    }

    /// <summary>The classifier head after the features: global average pooling, flatten, linear.</summary>
    public string Classify(string features, nn.Module classifier)
    {
        var pooled = graph.Node("GlobalAveragePool", [features]);
        var flat = graph.Node("Flatten", [pooled], [Int("axis", 1)]);
        return Emit(classifier, flat);
    }

    private string Conv(Conv2d conv, string x)
    {
        if (conv.padding_type is not null || conv.padding_mode != PaddingModes.Zeros || conv.transposed)
            throw new NascentException("ONNX export handles zero-padded, explicitly padded convolutions only.");
        var p = conv.padding ?? throw new NascentException("ONNX export needs explicit convolution padding.");
        var inputs = new List<string> { x, graph.Weight(conv.weight!) };
        if (conv.bias is not null) inputs.Add(graph.Weight(conv.bias));
        return graph.Node("Conv", inputs,
        [
            Ints("kernel_shape", conv.kernel_size), Ints("strides", conv.stride), Ints("dilations", conv.dilation),
            Ints("pads", p[0], p[1], p[0], p[1]), Int("group", conv.groups),
        ]);
    }

    /// <summary>Linear as Gemm: x · Wᵀ + b (transB = 1), PyTorch's exporter's form.</summary>
    private string Gemm(Linear linear, string x)
    {
        var inputs = new List<string> { x, graph.Weight(linear.weight!) };
        if (linear.bias is not null) inputs.Add(graph.Weight(linear.bias));
        return graph.Node("Gemm", inputs, [Int("transB", 1)]);
    }

    private string AveragePool(string x, long[] kernel, long[] stride, long[] padding, bool countIncludePad, bool ceilMode) =>
        graph.Node("AveragePool", [x],
        [
            Ints("kernel_shape", kernel), Ints("strides", stride), Ints("pads", padding[0], padding[1], padding[0], padding[1]),
            Int("count_include_pad", countIncludePad ? 1 : 0), Int("ceil_mode", ceilMode ? 1 : 0),
        ]);

    /// <summary>Eval-mode batch norm (BatchNormalization-15, training_mode 0): the running statistics.</summary>
    private string BatchNormalization(BatchNorm norm, string x)
    {
        if (norm.RunningMean is null || norm.RunningVar is null || norm.Weight is null || norm.Bias is null)
            throw new NascentException("A batch norm without running statistics or affine parameters (a supernet's) " +
                "cannot be exported: export a standalone, trained network.");
        return graph.Node("BatchNormalization",
            [x, graph.Weight(norm.Weight), graph.Weight(norm.Bias), graph.Weight(norm.RunningMean), graph.Weight(norm.RunningVar)],
            [Float("epsilon", (float)BatchNorm.Eps)]);
    }

    /// <summary>ReLU; one stride-2 1 x 1 convolution of the input and one of the input shifted by a pixel
    /// (x[:, :, 1:, 1:] padded with a zero row and column at the end: Slice, Pad); concatenated; batch norm.</summary>
    private string FactorizedReduction(FactorizedReduce f, string x)
    {
        var activated = Relu(x);
        var even = Emit(f.ConvEven, activated);
        var sliced = graph.Node("Slice", [activated, graph.Int64s("starts", 1, 1), graph.Int64s("ends", long.MaxValue, long.MaxValue),
            graph.Int64s("axes", 2, 3)]);
        var shifted = graph.Node("Pad", [sliced, graph.Int64s("pads", 0, 0, 0, 0, 0, 0, 1, 1)]);
        var odd = Emit(f.ConvOdd, shifted);
        var both = graph.Node("Concat", [even, odd], [Int("axis", 1)]);
        return Emit(f.Bn, both);
    }
}
