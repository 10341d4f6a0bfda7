using Google.Protobuf;
using Onnx;

namespace Nascent.Export.Onnx;

/// <summary>
/// A small ONNX graph builder: one float input with a dynamic batch dimension, initializers copied from TorchSharp
/// tensors (named by their state-dict keys where the network holds them), nodes with generated output names, one
/// output. <see cref="ToModel"/> gives the <c>ModelProto</c> (OnnxSharp's generated onnx.proto classes).
/// </summary>
internal sealed class OnnxGraph
{
    /// <summary>Opset 17 holds every operator used here in its current form (BatchNormalization 15, Pad 13's
    /// tensor inputs, Clip 13's min/max inputs); IR version 8 is the one that opset shipped with.</summary>
    public const int Opset = 17;
    private const long IrVersion = 8;
    public const string BatchDimension = "batch";

    private readonly GraphProto _graph = new();
    private readonly Dictionary<IntPtr, string> _stateNames = new();
    private readonly Dictionary<IntPtr, string> _initializers = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _nodes;

    /// <param name="stateDictionary">The network's named parameters and buffers: initializers keep their names.</param>
    public OnnxGraph(string name, IEnumerable<(string Name, Tensor Tensor)> stateDictionary)
    {
        _graph.Name = name;
        foreach (var (key, tensor) in stateDictionary) _stateNames.TryAdd(tensor.Handle, key);
    }

    /// <summary>The graph input: float32 [batch, channels, height, width], batch dynamic.</summary>
    public string Input(string name, int channels, int height, int width)
    {
        _graph.Input.Add(ValueInfo(name, null, channels, height, width));
        _names.Add(name);
        return name;
    }

    /// <summary>Names <paramref name="value"/> as the graph's float32 output [batch, <paramref name="width"/>].</summary>
    public void Output(string value, string name, int width)
    {
        Node("Identity", [value], output: name);
        _graph.Output.Add(ValueInfo(name, null, width));
    }

    /// <summary>A tensor of the network as an initializer (once per tensor), float32 as stored.</summary>
    public string Weight(Tensor tensor)
    {
        if (_initializers.TryGetValue(tensor.Handle, out var known)) return known;
        string name = Unique(_stateNames.TryGetValue(tensor.Handle, out var key) ? key : "weight");
        using var values = tensor.detach().cpu().contiguous().to_type(ScalarType.Float32);
        var data = values.data<float>().ToArray();
        _graph.Initializer.Add(FloatTensor(name, data, tensor.shape));
        _initializers[tensor.Handle] = name;
        return name;
    }

    /// <summary>A float32 constant of the given shape (an initializer).</summary>
    public string Constant(string name, float[] values, params long[] shape)
    {
        name = Unique(name);
        _graph.Initializer.Add(FloatTensor(name, values, shape));
        return name;
    }

    /// <summary>An int64 constant vector (Pad's pads, Slice's starts): an initializer.</summary>
    public string Int64s(string name, params long[] values)
    {
        name = Unique(name);
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        proto.Dims.Add(values.Length);
        proto.Int64Data.Add(values);
        _graph.Initializer.Add(proto);
        return name;
    }

    /// <summary>Adds a node; returns its (single) output's name.</summary>
    public string Node(string op, IReadOnlyList<string> inputs, IEnumerable<AttributeProto>? attributes = null, string? output = null)
    {
        string name = $"{op}_{_nodes++}";
        output = output is null ? Unique(name) : Unique(output);
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.Add(inputs);
        node.Output.Add(output);
        if (attributes is not null) node.Attribute.Add(attributes);
        _graph.Node.Add(node);
        return output;
    }

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public ModelProto ToModel(string docString)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "Nascent",
            ProducerVersion = typeof(OnnxGraph).Assembly.GetName().Version?.ToString() ?? "",
            DocString = docString,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model;
    }

    private string Unique(string name)
    {
        string candidate = name;
        for (int k = 1; !_names.Add(candidate); k++) candidate = $"{name}_{k}";
        return candidate;
    }

    private static TensorProto FloatTensor(string name, float[] values, long[] shape)
    {
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        proto.Dims.Add(shape);
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length); // raw_data is little-endian, as this machine
        proto.RawData = ByteString.CopyFrom(bytes);
        return proto;
    }

    /// <summary>A float32 value [batch, dims...].</summary>
    private static ValueInfoProto ValueInfo(string name, string? doc, params int[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        foreach (var d in dims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            DocString = doc ?? "",
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
