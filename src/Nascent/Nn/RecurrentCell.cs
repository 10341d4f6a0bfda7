namespace Nascent.Nn;

/// <summary>
/// A recurrent cell of a <see cref="RecurrentCellSpace"/>, unrolled over a sequence. Every node is a highway unit:
/// [c, h] = s_in W, s = s_in + sigmoid(c) ⊙ (f(h) − s_in); node 0 reads [x_t, h_{t-1}] with s_in = h_{t-1}; the new
/// hidden state averages the space's output nodes. Built as a supernet it holds every weight matrix the space can use
/// (ENAS: one per (node, input, activation), as ptb_enas_child's w_skip; NAO: one per node); built for one
/// architecture it holds only that path's, under the same names, so the supernet's state loads into it.
/// </summary>
public sealed class RecurrentCell : nn.Module
{
    private readonly Dictionary<string, Parameter> _weights = [];

    /// <param name="fixedArchitecture">Null for a supernet.</param>
    public RecurrentCell(RecurrentCellSpace space, int inputSize, int hiddenSize, Architecture? fixedArchitecture)
        : base(nameof(RecurrentCell))
    {
        Space = space;
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        foreach (var (key, rows) in WeightShapes(space, inputSize, hiddenSize, fixedArchitecture))
        {
            var weight = new Parameter(empty(rows, 2 * hiddenSize));
            _weights[key] = weight;
            register_parameter(key, weight);
        }
    }

    public RecurrentCellSpace Space { get; }
    public int InputSize { get; }
    public int HiddenSize { get; }

    /// <summary>The name of the matrix node 0 uses: ENAS keeps one per activation, NAO one in all.</summary>
    public static string FirstKey(RecurrentCellSpace space, int activation) =>
        space.Family == RecurrentCellFamily.Enas ? $"w0_{RecurrentCellSpace.Activations[activation]}" : "w0";

    /// <summary>The name of the matrix node <paramref name="node"/> (≥ 1) uses with that input and activation.</summary>
    public static string NodeKey(RecurrentCellSpace space, int node, int input, int activation) =>
        space.Family == RecurrentCellFamily.Enas ? $"w{node}_{input}_{RecurrentCellSpace.Activations[activation]}" : $"w{node}";

    private static IEnumerable<(string Key, int Rows)> WeightShapes(RecurrentCellSpace space, int inputSize, int hiddenSize,
        Architecture? fixedArchitecture)
    {
        var seen = new HashSet<string>();
        IEnumerable<(string, int)> All()
        {
            var activations = Enumerable.Range(0, RecurrentCellSpace.Activations.Count).ToArray();
            foreach (var a in fixedArchitecture is null ? activations : [space.ActivationOf(fixedArchitecture, 0)])
                yield return (FirstKey(space, a), inputSize + hiddenSize);
            for (int node = 1; node <= space.LastNode; node++)
            {
                if (fixedArchitecture is not null)
                {
                    yield return (NodeKey(space, node, space.InputOf(fixedArchitecture, node),
                        space.ActivationOf(fixedArchitecture, node)), hiddenSize);
                    continue;
                }
                for (int input = 0; input < node; input++)
                    foreach (var a in activations) yield return (NodeKey(space, node, input, a), hiddenSize);
            }
        }
        return All().Where(shape => seen.Add(shape.Item1)); // NAO's keys repeat over inputs and activations
    }

    /// <summary>Runs the cell over <paramref name="inputs"/> [T, B, E] from <paramref name="hidden"/> [B, H].
    /// <paramref name="hiddenMask"/> [B, H] (variational dropout, the same mask at every step) multiplies every state
    /// a node reads; <paramref name="normalize"/> layer-normalises each new hidden state. Returns every step's new hidden
    /// state [T, B, H] and the last one.</summary>
    public (Tensor Outputs, Tensor Hidden) Forward(Tensor inputs, Tensor hidden, Architecture architecture, Tensor? hiddenMask,
        bool normalize = false)
    {
        int lastNode = Space.LastNode;
        var first = _weights[FirstKey(Space, Space.ActivationOf(architecture, 0))];
        var nodeWeights = new Tensor[lastNode + 1];
        var nodeInputs = new int[lastNode + 1];
        var activations = new int[lastNode + 1];
        activations[0] = Space.ActivationOf(architecture, 0);
        for (int node = 1; node <= lastNode; node++)
        {
            nodeInputs[node] = Space.InputOf(architecture, node);
            activations[node] = Space.ActivationOf(architecture, node);
            nodeWeights[node] = _weights[NodeKey(Space, node, nodeInputs[node], activations[node])];
        }
        var outputNodes = Space.OutputNodes(architecture);

        // x's share of node 0's projection for every step at once: [x, h] W0 = x W0[:E] + h W0[E:].
        var projectedInputs = matmul(inputs, first.narrow(0, 0, InputSize));
        var recurrent = first.narrow(0, InputSize, HiddenSize);
        long steps = inputs.shape[0];
        var outputs = new Tensor[steps];
        var states = new Tensor[lastNode + 1];
        for (long t = 0; t < steps; t++)
        {
            var read = hiddenMask is null ? hidden : hidden * hiddenMask;
            states[0] = Highway(hidden, projectedInputs[t] + read.mm(recurrent), activations[0]);
            for (int node = 1; node <= lastNode; node++)
            {
                var previous = states[nodeInputs[node]];
                var masked = hiddenMask is null ? previous : previous * hiddenMask;
                states[node] = Highway(previous, masked.mm(nodeWeights[node]), activations[node]);
            }
            hidden = outputNodes.Count == 1 ? states[outputNodes[0]]
                : stack(outputNodes.Select(n => states[n]).ToArray()).mean([0L]);
            if (normalize) hidden = nn.functional.layer_norm(hidden, [HiddenSize]);
            outputs[t] = hidden;
        }
        return (stack(outputs), hidden);
    }

    /// <summary>previous + sigmoid(c) ⊙ (f(h) − previous), with [c, h] the two halves of the projection.</summary>
    private static Tensor Highway(Tensor previous, Tensor projected, int activation)
    {
        var halves = projected.chunk(2, 1);
        var candidate = Activate(halves[1], activation);
        return previous.lerp(candidate, halves[0].sigmoid()); // one native call for previous + gate * (candidate - previous)
    }

    /// <summary>The activation with index <paramref name="activation"/> in <see cref="RecurrentCellSpace.Activations"/>.</summary>
    public static Tensor Activate(Tensor x, int activation) => activation switch
    {
        0 => x.tanh(),
        1 => x.relu(),
        2 => x,
        3 => x.sigmoid(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };
}
