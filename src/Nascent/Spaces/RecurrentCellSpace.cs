using System.Text.RegularExpressions;

namespace Nascent.Spaces;

/// <summary>Which paper's recurrent cell a <see cref="RecurrentCellSpace"/> describes.</summary>
public enum RecurrentCellFamily
{
    /// <summary>ENAS (melodyguan/enas, ptb_enas_child): node 0 reads x_t and h_{t-1} through an activation it
    /// chooses; nodes 1..N-1 each choose one earlier node and an activation; the cell output averages the loose ends
    /// (nodes no node reads). Weights are shared per (node, input, activation).</summary>
    Enas,

    /// <summary>NAO's recurrent cell (DARTS's, which NAO's PTB search uses): s0 = highway(tanh) of x_t and h_{t-1},
    /// fixed; N intermediate nodes 1..N each choose one earlier node (s0 included) and an activation; the output
    /// averages every intermediate node. Weights are one matrix per node, whatever its input and activation.</summary>
    Nao,
}

/// <summary>
/// A recurrent cell space for language models (ENAS and NAO on Penn Treebank). Every node is a highway unit:
/// [c, h] = s_in W, s = s_in + sigmoid(c) ⊙ (f(h) − s_in), with f among tanh, ReLU, identity and sigmoid and s_in the
/// chosen earlier node (for the first node, x_t and h_{t-1} together). The cell output is the new hidden state.
/// Decisions, in the order the ENAS controller samples them: node 0's activation (ENAS only), then per node its input
/// and its activation. String form: the nodes in order, separated by spaces, <c>act</c> for ENAS's node 0 and
/// <c>act~input</c> for every other node, e.g. <c>tanh relu~0 sigmoid~1 identity~1</c> (ENAS) or
/// <c>relu~0 tanh~1 identity~1</c> (NAO, whose node 0 is the fixed s0). ENAS's integer arcs
/// (f0 p1 f1 p2 f2 ...) parse too, for enas-rnn.
/// </summary>
public sealed class RecurrentCellSpace : SearchSpace
{
    public static readonly IReadOnlyList<string> Activations = ["tanh", "relu", "identity", "sigmoid"];

    public const int DefaultNodes = 8;

    public const string Group = "cell";

    public RecurrentCellSpace(RecurrentCellFamily family, int nodes = DefaultNodes) : base(BuildDecisions(family, nodes))
    {
        Family = family;
        Nodes = nodes;
    }

    public RecurrentCellFamily Family { get; }

    /// <summary>N: the searched nodes (ENAS: nodes 0..N-1; NAO: intermediate nodes 1..N after the fixed s0).</summary>
    public int Nodes { get; }

    public override string Name => Family == RecurrentCellFamily.Enas ? "enas-rnn" : "nao-rnn";

    /// <summary>Number of the first node whose activation is searched: 0 for ENAS, 1 for NAO (s0 is fixed).</summary>
    public int FirstNode => Family == RecurrentCellFamily.Enas ? 0 : 1;

    /// <summary>Node numbers of the cell: 0 .. LastNode.</summary>
    public int LastNode => Family == RecurrentCellFamily.Enas ? Nodes - 1 : Nodes;

    private static Decision[] BuildDecisions(RecurrentCellFamily family, int nodes)
    {
        if (nodes < 1 || nodes > 64) throw new NascentException($"--nodes for a recurrent cell must be 1 to 64 (got {nodes}).");
        var decisions = new List<Decision>();
        if (family == RecurrentCellFamily.Enas)
            decisions.Add(new Decision("node 0 activation", DecisionKind.Operation, Activations, Group, 0));
        int last = family == RecurrentCellFamily.Enas ? nodes - 1 : nodes;
        for (int node = 1; node <= last; node++) // ENAS's node 0 and NAO's s0 have no input to choose
        {
            var inputs = Enumerable.Range(0, node).Select(i => i.ToString()).ToArray();
            decisions.Add(new Decision($"node {node} input", DecisionKind.Input, inputs, Group, node));
            decisions.Add(new Decision($"node {node} activation", DecisionKind.Operation, Activations, Group, node));
        }
        return decisions.ToArray();
    }

    /// <summary>The input node of node <paramref name="node"/> (1 .. LastNode).</summary>
    public int InputOf(Architecture architecture, int node) => architecture[InputDecision(node)];

    /// <summary>The activation index (into <see cref="Activations"/>) of a node; NAO's fixed s0 is tanh.</summary>
    public int ActivationOf(Architecture architecture, int node) =>
        node != 0 ? architecture[InputDecision(node) + 1]
        : Family == RecurrentCellFamily.Enas ? architecture[0] : 0;

    private int InputDecision(int node)
    {
        if (node < 1 || node > LastNode) throw new ArgumentOutOfRangeException(nameof(node), node, $"nodes with an input are 1..{LastNode}");
        return Family == RecurrentCellFamily.Enas ? 1 + 2 * (node - 1) : 2 * (node - 1);
    }

    /// <summary>The nodes the cell output averages: ENAS's loose ends (nodes no node reads), or every NAO
    /// intermediate node.</summary>
    public IReadOnlyList<int> OutputNodes(Architecture architecture)
    {
        if (Family == RecurrentCellFamily.Nao) return Enumerable.Range(1, Nodes).ToArray();
        var used = new bool[Nodes];
        for (int node = 1; node < Nodes; node++) used[InputOf(architecture, node)] = true;
        return Enumerable.Range(0, Nodes).Where(n => !used[n]).ToArray();
    }

    public override string Format(Architecture architecture) => string.Join(" ",
        Enumerable.Range(FirstNode, Nodes).Select(node => node == 0
            ? Activations[ActivationOf(architecture, 0)]
            : $"{Activations[ActivationOf(architecture, node)]}~{InputOf(architecture, node)}"));

    private static readonly Regex NodePattern = new(@"^([a-z]+)(?:~(\d+))?$", RegexOptions.Compiled);

    public override Architecture Parse(string text)
    {
        string example = Family == RecurrentCellFamily.Enas ? "tanh relu~0 sigmoid~1" : "relu~0 tanh~1 identity~1";
        string Fail(string why) => throw new NascentException(
            $"Cannot parse {Name} architecture '{text}': {why} (expected {Nodes} nodes, e.g. {example}).");
        var parts = text.Split([' ', '\t', '\n', ','], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length > 0 && parts.All(p => p.All(char.IsDigit)))
        {
            if (Family != RecurrentCellFamily.Enas) Fail("integer arcs are read for enas-rnn only");
            if (parts.Length != Decisions.Count) Fail($"{parts.Length} integers, expected {Decisions.Count} (f0 p1 f1 p2 f2 ...)");
            return CreateChecked(parts.Select(int.Parse).ToArray(), Fail);
        }
        if (parts.Length != Nodes) Fail($"{parts.Length} nodes");
        var choices = new List<int>();
        for (int k = 0; k < parts.Length; k++)
        {
            int node = FirstNode + k;
            var m = NodePattern.Match(parts[k]);
            if (!m.Success) Fail($"'{parts[k]}' is not act or act~input");
            int activation = Activations.ToList().IndexOf(m.Groups[1].Value);
            if (activation < 0) Fail($"unknown activation '{m.Groups[1].Value}' (known: {string.Join(", ", Activations)})");
            if (node == 0)
            {
                if (m.Groups[2].Success) Fail("node 0 reads x and h and takes no ~input");
                choices.Add(activation);
                continue;
            }
            if (!m.Groups[2].Success) Fail($"node {node} needs an input: {m.Groups[1].Value}~k with k < {node}");
            choices.Add(int.Parse(m.Groups[2].Value));
            choices.Add(activation);
        }
        return CreateChecked(choices.ToArray(), Fail);
    }

    private Architecture CreateChecked(int[] choices, Func<string, string> fail)
    {
        for (int i = 0; i < choices.Length; i++)
            if (choices[i] < 0 || choices[i] >= Decisions[i].Count)
                fail($"{Decisions[i].Name} is {choices[i]}, allowed 0..{Decisions[i].Count - 1}");
        return Create(choices);
    }

    /// <summary>Nodes labelled x, h_prev, each node's activation, and avg (the new hidden state).</summary>
    public override ArchitectureGraph ToGraph(Architecture architecture)
    {
        var labels = new List<string> { "x", "h_prev" };
        var edges = new List<(int, int)>();
        int NodeId(int node) => 2 + node;
        for (int node = 0; node <= LastNode; node++)
        {
            labels.Add(Activations[ActivationOf(architecture, node)]);
            if (node == 0) { edges.Add((0, NodeId(0))); edges.Add((1, NodeId(0))); }
            else edges.Add((NodeId(InputOf(architecture, node)), NodeId(node)));
        }
        labels.Add("avg");
        foreach (var node in OutputNodes(architecture)) edges.Add((NodeId(node), labels.Count - 1));
        return new ArchitectureGraph(labels, edges);
    }
}
