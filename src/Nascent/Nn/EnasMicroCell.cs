namespace Nascent.Nn;

/// <summary>
/// One ENAS micro cell. Both cell inputs are first calibrated to the cell's width and resolution (a reduction cell
/// halves the resolution of both with factorized reductions, as ENAS does); node b then sums op_a(input_a) and
/// op_b(input_b). Each (node, slot, operation) holds one module per input the slot can choose, as ENAS indexes its
/// search weights by the chosen input (melodyguan/enas src/cifar10/micro_child.py:584-610: <c>w_depth</c>,
/// <c>w_point</c> and the batch norm's <c>offset</c>/<c>scale</c> have a first dimension of <c>curr_cell + 2</c>
/// possible inputs, read at <c>prev_cell</c>; the slots are the separate scopes "x" and "y", :641-653). The output is
/// ReLU, a 1 x 1 convolution of the concatenation of what no node uses (cell inputs included, :659-692), batch norm;
/// the convolution is held as one 1 x 1 convolution per node or input, summed over the loose ends, which equals a
/// convolution of their concatenation and lets a supernet share it across every set of loose ends (ENAS's
/// <c>final_conv</c> weight likewise has one block per index, gathered at the loose ends, :686-688).
/// </summary>
public sealed class EnasMicroCell : nn.Module<(Tensor PrevPrev, Tensor Prev), Tensor>
{
    private readonly nn.Module<Tensor, Tensor> calibratePrevPrev;
    private readonly nn.Module<Tensor, Tensor> calibratePrev;
    private readonly ModuleList<ModuleDict<nn.Module<Tensor, Tensor>>> ops; // index: node * 2 + slot; key: OpKey
    private readonly ModuleDict<nn.Module<Tensor, Tensor>> outputConvs;      // key: input or node number (0..B+1)
    private readonly nn.Module<Tensor, Tensor> outputBn;
    private readonly EnasMicroSpace _space;
    private readonly int _cellType;

    /// <param name="cellType">0 normal, 1 reduction (see <see cref="EnasMicroSpace.CellTypes"/>).</param>
    /// <param name="prevPrevReduce">Whether the first input has twice the resolution of the second.</param>
    /// <param name="fixedArchitecture">Null for a supernet cell (every operation); else only its path's modules.</param>
    public EnasMicroCell(EnasMicroSpace space, int cellType, int prevPrevChannels, bool prevPrevReduce,
        int prevChannels, int channels, bool track, Architecture? fixedArchitecture) : base(nameof(EnasMicroCell))
    {
        _space = space;
        _cellType = cellType;
        bool reduce = cellType == 1;
        // Every cell input is either read by a node or part of the output, so both are always calibrated.
        calibratePrevPrev = reduce || prevPrevReduce
            ? new FactorizedReduce(prevPrevChannels, channels, track)
            : Calibrate(prevPrevChannels, channels, track);
        calibratePrev = reduce ? new FactorizedReduce(prevChannels, channels, track) : Calibrate(prevChannels, channels, track);

        ops = new ModuleList<ModuleDict<nn.Module<Tensor, Tensor>>>();
        for (int b = 0; b < space.Nodes; b++)
        {
            var node = fixedArchitecture is null ? default : space.Node(fixedArchitecture, cellType, b);
            for (int slot = 0; slot < 2; slot++)
            {
                var dict = new ModuleDict<nn.Module<Tensor, Tensor>>();
                IEnumerable<(int Op, int Input)> candidates = fixedArchitecture is null
                    ? from op in Enumerable.Range(0, EnasMicroSpace.Operations.Count)
                      from input in Enumerable.Range(0, b + 2)
                      select (op, input)
                    : [slot == 0 ? (node.OpA, node.InputA) : (node.OpB, node.InputB)];
                foreach (var (op, input) in candidates) dict.Add(OpKey(op, input), CreateOperation(op, channels, track));
                ops.Add(dict);
            }
        }
        outputConvs = new ModuleDict<nn.Module<Tensor, Tensor>>();
        IEnumerable<int> outputs = fixedArchitecture is null
            ? Enumerable.Range(0, space.Nodes + 2)
            : space.LooseEnds(fixedArchitecture, cellType);
        foreach (var n in outputs) outputConvs.Add(n.ToString(), nn.Conv2d(channels, channels, 1, bias: false));
        outputBn = new BatchNorm(channels, track);
        RegisterComponents();
    }

    /// <summary>The module name of operation <paramref name="op"/> on input <paramref name="input"/> in a node slot:
    /// one module per (operation, input), ENAS's weights per chosen input. Weightless operations (pools, identity)
    /// compute the same either way.</summary>
    private static string OpKey(int op, int input) => $"{EnasMicroSpace.Operations[op]}_from{input}";

    private static nn.Module<Tensor, Tensor> Calibrate(int inChannels, int outChannels, bool track) =>
        inChannels == outChannels ? new Identity() : new ReluConvBn(inChannels, outChannels, 1, 1, track);

    private static nn.Module<Tensor, Tensor> CreateOperation(int op, int channels, bool track) => op switch
    {
        0 => new SeparableConv(channels, 3, track),
        1 => new SeparableConv(channels, 5, track),
        2 => new Pool3x3(max: false),
        3 => new Pool3x3(max: true),
        4 => new Identity(),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    public Tensor Forward(Tensor prevPrev, Tensor prev, Architecture architecture) =>
        Flow(prevPrev, prev, architecture, (module, x) => module.call(x), (a, b) => a + b, x => nn.functional.relu(x), x => x.Dispose());

    /// <summary>
    /// The cell's data flow, once for every reader: both cell inputs are calibrated; node b is op_a(input_a) +
    /// op_b(input_b), each operation the module of its chosen input; the loose ends (cell inputs included) go through
    /// ReLU and their own 1 x 1 convolutions, summed, then batch norm. <see cref="Forward"/> runs it on tensors
    /// (releasing each intermediate as soon as it is used), the ONNX exporter on graph values.
    /// </summary>
    internal T Flow<T>(T prevPrev, T prev, Architecture architecture, Func<nn.Module<Tensor, Tensor>, T, T> apply,
        Func<T, T, T> add, Func<T, T> relu, Action<T> release) where T : class
    {
        var nodes = new T[_space.Nodes + 2];
        nodes[0] = apply(calibratePrevPrev, prevPrev);
        nodes[1] = apply(calibratePrev, prev);
        for (int b = 0; b < _space.Nodes; b++)
        {
            var n = _space.Node(architecture, _cellType, b);
            var a = apply(ops[2 * b][OpKey(n.OpA, n.InputA)], nodes[n.InputA]);
            var c = apply(ops[2 * b + 1][OpKey(n.OpB, n.InputB)], nodes[n.InputB]);
            nodes[b + 2] = add(a, c);
            release(a);
            release(c);
        }
        T? sum = null;
        foreach (var loose in _space.LooseEnds(architecture, _cellType))
        {
            var activated = relu(nodes[loose]);
            var projected = apply(outputConvs[loose.ToString()], activated);
            release(activated);
            if (sum is null) sum = projected;
            else
            {
                var next = add(sum, projected);
                release(sum);
                release(projected);
                sum = next;
            }
        }
        foreach (var node in nodes) release(node);
        var output = apply(outputBn, sum!);
        release(sum!);
        return output;
    }

    public override Tensor forward((Tensor PrevPrev, Tensor Prev) input) =>
        throw new InvalidOperationException("Call Forward(prevPrev, prev, architecture).");
}
