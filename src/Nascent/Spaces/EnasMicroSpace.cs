using System.Text.RegularExpressions;

namespace Nascent.Spaces;

/// <summary>
/// The ENAS micro (convolutional cell) space: a normal and a reduction cell, each of B nodes. Node b (0-based) picks
/// two inputs among the two cell inputs (0, 1) and the earlier nodes (2 .. b+1), and one operation for each; it sums
/// the two results. The cell output concatenates what no node uses, cell inputs included, as ENAS does
/// (melodyguan/enas src/cifar10/micro_child.py:637-665, <c>used</c> over all B + 2 indices).
/// Decision order per node, as the ENAS controller samples them: input a, input b, op a, op b; normal cell first.
/// (ENAS writes its arcs as input a, op a, input b, op b; the string forms follow that.)
/// String form: <c>normal: (sep_conv_3x3~0 identity~1) (avg_pool_3x3~0 max_pool_3x3~2) ...; reduce: (...) ...</c>;
/// ENAS's own integer arcs (4B numbers per cell, normal then reduce) parse too.
/// </summary>
public sealed class EnasMicroSpace : SearchSpace
{
    public static readonly IReadOnlyList<string> Operations =
        ["sep_conv_3x3", "sep_conv_5x5", "avg_pool_3x3", "max_pool_3x3", "identity"];

    public static readonly IReadOnlyList<string> CellTypes = ["normal", "reduce"];

    public const int DefaultNodes = 5;

    public EnasMicroSpace(int nodes = DefaultNodes) : base(BuildDecisions(nodes)) => Nodes = nodes;

    /// <summary>B: nodes per cell.</summary>
    public int Nodes { get; }

    public override string Name => "enas-micro";

    private static Decision[] BuildDecisions(int nodes)
    {
        if (nodes < 1) throw new NascentException($"--nodes must be at least 1 (got {nodes}).");
        var decisions = new List<Decision>();
        foreach (var cell in CellTypes)
            for (int b = 0; b < nodes; b++)
            {
                var inputs = Enumerable.Range(0, b + 2).Select(i => i.ToString()).ToArray();
                foreach (var slot in new[] { "a", "b" })
                    decisions.Add(new Decision($"{cell} node {b + 2} input {slot}", DecisionKind.Input, inputs, cell, b + 2));
                foreach (var slot in new[] { "a", "b" })
                    decisions.Add(new Decision($"{cell} node {b + 2} op {slot}", DecisionKind.Operation, Operations, cell, b + 2));
            }
        return decisions.ToArray();
    }

    /// <summary>Index of the first decision of node <paramref name="node"/> (0-based) of cell <paramref name="cell"/>.</summary>
    public int DecisionIndex(int cell, int node) => (cell * Nodes + node) * 4;

    /// <summary>The same cells with the two (input, op) pairs of one random node per cell swapped: a node sums its
    /// two branches, so the order does not matter.</summary>
    public override Architecture? SymmetricVariant(Architecture architecture, SeededRandom random)
    {
        var choices = architecture.Choices.ToArray();
        for (int cell = 0; cell < CellTypes.Count; cell++)
        {
            int d = DecisionIndex(cell, random.Next(Nodes));
            (choices[d], choices[d + 1]) = (choices[d + 1], choices[d]);
            (choices[d + 2], choices[d + 3]) = (choices[d + 3], choices[d + 2]);
        }
        return Create(choices);
    }

    /// <summary>The node's (input a, op a, input b, op b), inputs numbered 0,1 for cell inputs, 2.. for nodes.</summary>
    public (int InputA, int OpA, int InputB, int OpB) Node(Architecture architecture, int cell, int node)
    {
        int d = DecisionIndex(cell, node);
        return (architecture[d], architecture[d + 2], architecture[d + 1], architecture[d + 3]);
    }

    /// <summary>The cell inputs (0, 1) and nodes (2..B+1) that no node of the cell takes as input: they form the cell
    /// output (ENAS's search cell, micro_child.py:659-665, and its fixed child, :426-431 and :378-392, both count the
    /// two cell inputs).</summary>
    public IReadOnlyList<int> LooseEnds(Architecture architecture, int cell)
    {
        var used = new bool[Nodes + 2];
        for (int b = 0; b < Nodes; b++)
        {
            var n = Node(architecture, cell, b);
            used[n.InputA] = used[n.InputB] = true;
        }
        return Enumerable.Range(0, Nodes + 2).Where(i => !used[i]).ToArray();
    }

    public override string Format(Architecture architecture) =>
        string.Join("; ", CellTypes.Select((name, cell) => name + ": " + string.Join(" ",
            Enumerable.Range(0, Nodes).Select(b =>
            {
                var n = Node(architecture, cell, b);
                return $"({Operations[n.OpA]}~{n.InputA} {Operations[n.OpB]}~{n.InputB})";
            }))));

    private static readonly Regex NodePattern = new(@"\(\s*([a-z0-9_]+)~(\d+)\s*,?\s*([a-z0-9_]+)~(\d+)\s*\)", RegexOptions.Compiled);

    public override Architecture Parse(string text)
    {
        string example = "normal: (sep_conv_3x3~0 identity~1) ...; reduce: (avg_pool_3x3~0 sep_conv_5x5~1) ...";
        string Fail(string why) => throw new NascentException($"Cannot parse ENAS micro architecture '{text}': {why} (expected {Nodes} nodes per cell, e.g. {example}).");

        var trimmed = text.Trim();
        if (Regex.IsMatch(trimmed, @"^[\d\s,;|]+$")) return ParseEnasArcs(trimmed, Fail);

        var choices = new List<int>();
        var cells = trimmed.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (cells.Length != 2) Fail($"{cells.Length} cells, expected 'normal: ...; reduce: ...'");
        for (int cell = 0; cell < 2; cell++)
        {
            var prefix = CellTypes[cell] + ":";
            if (!cells[cell].StartsWith(prefix)) Fail($"cell {cell + 1} should start with '{prefix}'");
            var body = cells[cell][prefix.Length..];
            var matches = NodePattern.Matches(body);
            if (NodePattern.Replace(body, "").Trim().Length > 0) Fail($"unreadable text in the {CellTypes[cell]} cell");
            if (matches.Count != Nodes) Fail($"the {CellTypes[cell]} cell has {matches.Count} nodes");
            foreach (Match m in matches)
            {
                choices.Add(int.Parse(m.Groups[2].Value)); choices.Add(OpIndex(m.Groups[1].Value, Fail));
                choices.Add(int.Parse(m.Groups[4].Value)); choices.Add(OpIndex(m.Groups[3].Value, Fail));
            }
        }
        return CreateNamed(choices, Fail);
    }

    private Architecture ParseEnasArcs(string text, Func<string, string> fail)
    {
        var numbers = text.Split([' ', ',', ';', '|', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        if (numbers.Count != 8 * Nodes) fail($"{numbers.Count} integers, expected {8 * Nodes} (4 per node: input, op, input, op)");
        return CreateNamed(numbers, fail);
    }

    /// <summary>Builds from arc-ordered numbers (input a, op a, input b, op b per node).</summary>
    private Architecture CreateNamed(List<int> arcs, Func<string, string> fail)
    {
        var choices = new int[arcs.Count];
        for (int n = 0; n + 3 < arcs.Count; n += 4)
            (choices[n], choices[n + 1], choices[n + 2], choices[n + 3]) = (arcs[n], arcs[n + 2], arcs[n + 1], arcs[n + 3]);
        for (int i = 0; i < choices.Length; i++)
            if (choices[i] < 0 || choices[i] >= Decisions[i].Count)
                fail($"{Decisions[i].Name} is {choices[i]}, allowed 0..{Decisions[i].Count - 1}");
        return Create(choices);
    }

    private static int OpIndex(string name, Func<string, string> fail)
    {
        for (int i = 0; i < Operations.Count; i++) if (Operations[i] == name) return i;
        fail($"unknown operation '{name}' (known: {string.Join(", ", Operations)})");
        return -1;
    }

    public override ArchitectureGraph ToGraph(Architecture architecture)
    {
        var labels = new List<string>();
        var edges = new List<(int, int)>();
        for (int cell = 0; cell < 2; cell++)
        {
            string p = CellTypes[cell] + ":";
            var id = new int[Nodes + 2];
            labels.Add(p + "input0"); id[0] = labels.Count - 1;
            labels.Add(p + "input1"); id[1] = labels.Count - 1;
            for (int b = 0; b < Nodes; b++)
            {
                var n = Node(architecture, cell, b);
                labels.Add(p + Operations[n.OpA]); int a = labels.Count - 1;
                labels.Add(p + Operations[n.OpB]); int c = labels.Count - 1;
                labels.Add(p + "add"); id[b + 2] = labels.Count - 1;
                edges.Add((id[n.InputA], a)); edges.Add((id[n.InputB], c));
                edges.Add((a, id[b + 2])); edges.Add((c, id[b + 2]));
            }
            labels.Add(p + "concat");
            int output = labels.Count - 1;
            foreach (var loose in LooseEnds(architecture, cell)) edges.Add((id[loose], output));
        }
        return new ArchitectureGraph(labels, edges);
    }
}
