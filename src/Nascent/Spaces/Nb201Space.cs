namespace Nascent.Spaces;

/// <summary>
/// The NAS-Bench-201 cell: 4 nodes, 6 edges (node j sums an operation on every earlier node), 5 operations.
/// String form as the official one: <c>|op~0|+|op~0|op~1|+|op~0|op~1|op~2|</c>.
/// Edge order: (1&lt;-0), (2&lt;-0), (2&lt;-1), (3&lt;-0), (3&lt;-1), (3&lt;-2).
/// </summary>
public sealed class Nb201Space : SearchSpace
{
    public static readonly IReadOnlyList<string> Operations =
        ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"];

    /// <summary>(to, from) of each edge, in decision order.</summary>
    public static readonly IReadOnlyList<(int To, int From)> Edges = [(1, 0), (2, 0), (2, 1), (3, 0), (3, 1), (3, 2)];

    public const int NodeCount = 4;

    public static Nb201Space Instance { get; } = new();

    private Nb201Space() : base(Edges.Select(e => new Decision($"edge {e.From}->{e.To}", DecisionKind.Operation, Operations, "cell", e.To)).ToArray()) { }

    public override string Name => "nb201";

    /// <summary>A block is a node with its incoming edges: node 1 (one edge), node 2 (two), node 3 (three).</summary>
    public override IReadOnlyList<IReadOnlyList<int>> ProgressiveBlocks { get; } =
        Enumerable.Range(1, NodeCount - 1).Select(to => (IReadOnlyList<int>)Enumerable.Range(0, Edges.Count)
            .Where(k => Edges[k].To == to).ToArray()).ToArray();

    /// <summary>A cell of <paramref name="blocks"/> nodes: a later node takes the node before it by a skip
    /// connection and nothing else, so the cell computes what its grown nodes compute.</summary>
    public override Architecture Grown(IReadOnlyList<int> choices, int blocks)
    {
        if (blocks < 1 || blocks > NodeCount - 1) throw new ArgumentOutOfRangeException(nameof(blocks), blocks, "A NAS-Bench-201 cell grows 1 to 3 nodes.");
        var grown = new int[Edges.Count];
        for (int k = 0; k < Edges.Count; k++)
        {
            var (to, from) = Edges[k];
            grown[k] = to <= blocks ? choices[k] : from == to - 1 ? SkipConnect : 0;
        }
        return Create(grown);
    }

    private const int SkipConnect = 1;

    public override string Format(Architecture architecture)
    {
        var nodes = new List<string>();
        for (int to = 1; to < NodeCount; to++)
        {
            var parts = new List<string>();
            for (int k = 0; k < Edges.Count; k++)
                if (Edges[k].To == to) parts.Add($"{Operations[architecture[k]]}~{Edges[k].From}");
            nodes.Add("|" + string.Join("|", parts) + "|");
        }
        return string.Join("+", nodes);
    }

    public override Architecture Parse(string text)
    {
        string Fail(string why) => throw new NascentException(
            $"Cannot parse NAS-Bench-201 architecture '{text}': {why} (expected e.g. |nor_conv_3x3~0|+|skip_connect~0|nor_conv_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|).");
        var nodes = text.Trim().Split('+');
        if (nodes.Length != NodeCount - 1) Fail($"{nodes.Length} node groups, expected {NodeCount - 1}");
        var choices = new int[Edges.Count];
        int k = 0;
        for (int to = 1; to < NodeCount; to++)
        {
            var group = nodes[to - 1];
            if (!group.StartsWith('|') || !group.EndsWith('|') || group.Length < 2) Fail($"node {to} is not wrapped in '|'");
            var parts = group[1..^1].Split('|');
            if (parts.Length != to) Fail($"node {to} has {parts.Length} inputs, expected {to}");
            for (int from = 0; from < to; from++, k++)
            {
                var pieces = parts[from].Split('~');
                if (pieces.Length != 2) Fail($"'{parts[from]}' is not op~input");
                int op = IndexOf(Operations, pieces[0]);
                if (op < 0) Fail($"unknown operation '{pieces[0]}' (known: {string.Join(", ", Operations)})");
                if (pieces[1] != from.ToString()) Fail($"node {to} input {from} is written as '{pieces[1]}'");
                choices[k] = op;
            }
        }
        return Create(choices);
    }

    private static int IndexOf(IReadOnlyList<string> list, string item)
    {
        for (int i = 0; i < list.Count; i++) if (list[i] == item) return i;
        return -1;
    }

    /// <summary>
    /// The function a cell computes, written so that two cells get the same key exactly when they are isomorphic in
    /// NAS-Bench-201's sense (AutoDL-Projects, <c>xautodl/models/cell_searchs/genotypes.py</c>, <c>Structure.to_unique_str</c>
    /// with <c>consider_zero=True</c>, which gives the 6,466 classes of the NAS-Bench-201 paper §2.1): a skip connection
    /// passes its input's expression on, "none" or a zero input gives the zero term "#", any other operation wraps its
    /// input's expression, and a node is the sorted sum of its terms. The key is ours to compute; only the rule is theirs.
    /// </summary>
    public static string FunctionKey(Architecture architecture)
    {
        var expression = new string[NodeCount];
        expression[0] = "0";
        for (int to = 1; to < NodeCount; to++)
        {
            var terms = new List<string>();
            for (int k = 0; k < Edges.Count; k++)
            {
                if (Edges[k].To != to) continue;
                string input = expression[Edges[k].From];
                string op = Operations[architecture[k]];
                terms.Add(op == "none" || input == Zero ? Zero : op == "skip_connect" ? input : $"({input})@{op}");
            }
            terms.Sort(StringComparer.Ordinal);
            expression[to] = string.Join("+", terms);
        }
        return expression[NodeCount - 1];
    }

    private const string Zero = "#";

    /// <summary>Operations become nodes (as in NAS-Bench-101's graph form): input, one node per edge that is
    /// not "none", a sum node per cell node; node 3's sum is the output.</summary>
    public override ArchitectureGraph ToGraph(Architecture architecture)
    {
        var labels = new List<string> { "input" };
        var edges = new List<(int, int)>();
        var cellNodeId = new int[NodeCount];
        cellNodeId[0] = 0;
        for (int to = 1; to < NodeCount; to++)
        {
            var opNodes = new List<int>();
            for (int k = 0; k < Edges.Count; k++)
            {
                if (Edges[k].To != to || architecture[k] == 0) continue;
                labels.Add(Operations[architecture[k]]);
                int id = labels.Count - 1;
                edges.Add((cellNodeId[Edges[k].From], id));
                opNodes.Add(id);
            }
            labels.Add(to == NodeCount - 1 ? "output" : "add");
            cellNodeId[to] = labels.Count - 1;
            foreach (var o in opNodes) edges.Add((o, cellNodeId[to]));
        }
        return new ArchitectureGraph(labels, edges);
    }
}
