namespace Nascent.Analysis;

/// <summary>
/// Graph edit distance between two labelled DAGs with unit costs: substituting a node's label, inserting or deleting a
/// node, inserting or deleting an edge each cost 1 (edges carry no label; duplicate edges count once).
/// <para>Exact (<see cref="IsExact"/>) when both graphs have at most <see cref="MaxExactNodes"/> nodes: depth-first
/// branch and bound over node mappings, pruned with an admissible lower bound, within a budget of node expansions.
/// Larger graphs, or a search that runs out of budget, give an upper bound instead: the edit cost of the mapping that a
/// bipartite assignment of nodes proposes (Riesen and Bunke 2009, solved by the Hungarian algorithm) after a local
/// search that moves or swaps node images while the cost falls, or the best mapping the exact search found if lower.</para>
/// <para>Graphs whose labels are all prefixed by a cell name ("normal:", "reduce:") with no edge between cells are
/// compared cell by cell (a cell with a cell of its name, or with nothing) and the distances summed; exact only when
/// every cell's distance is.</para>
/// </summary>
public sealed record GraphEditDistance(int Value, bool IsExact)
{
    /// <summary>Node count up to which the exact search runs (NAS-Bench-201 cells have at most 10 nodes).</summary>
    public const int MaxExactNodes = 12;

    /// <summary>Default budget of the exact search, in expanded nodes of its search tree.</summary>
    public const long DefaultBudget = 200_000;

    public static GraphEditDistance Between(ArchitectureGraph a, ArchitectureGraph b, long budget = DefaultBudget)
    {
        var cellsA = Cells(a);
        var cellsB = Cells(b);
        if (cellsA is null || cellsB is null) return Compute(Graph.From(a), Graph.From(b), budget);
        int total = 0;
        bool exact = true;
        foreach (var name in cellsA.Keys.Union(cellsB.Keys))
        {
            var d = Compute(cellsA.GetValueOrDefault(name) ?? Graph.Empty, cellsB.GetValueOrDefault(name) ?? Graph.Empty, budget);
            total += d.Value;
            exact &= d.IsExact;
        }
        return new GraphEditDistance(total, exact);
    }

    /// <summary>The bipartite (Riesen-Bunke) upper bound alone: the edit cost of the node mapping a linear assignment
    /// proposes, improved by local search; symmetric, and never below the exact distance.</summary>
    public static int UpperBound(ArchitectureGraph a, ArchitectureGraph b)
    {
        var cellsA = Cells(a);
        var cellsB = Cells(b);
        if (cellsA is null || cellsB is null) return Bipartite(Graph.From(a), Graph.From(b));
        return cellsA.Keys.Union(cellsB.Keys).Sum(name =>
            Bipartite(cellsA.GetValueOrDefault(name) ?? Graph.Empty, cellsB.GetValueOrDefault(name) ?? Graph.Empty));
    }

    private static int Bipartite(Graph a, Graph b)
    {
        if (string.CompareOrdinal(a.Key, b.Key) > 0) (a, b) = (b, a); // one direction, the same for (a, b) and (b, a)
        return Refine(a, b, BipartiteMapping(a, b));
    }

    /// <summary>Local search from a mapping: move one node's image to an unused node (or delete it), or swap two
    /// nodes' images, while that lowers the edit cost. The assignment cannot tell apart nodes of equal label and
    /// degree (ENAS cells have five "add" nodes); this settles them by their neighbours. Returns the final cost.</summary>
    private static int Refine(Graph a, Graph b, int[] map)
    {
        int cost = MappingCost(a, b, map);
        var owner = new int[b.Count];
        Array.Fill(owner, -1);
        for (int i = 0; i < a.Count; i++) if (map[i] >= 0) owner[map[i]] = i;
        for (bool improved = true; improved;)
        {
            improved = false;
            for (int i = 0; i < a.Count; i++)
                for (int target = -1; target < b.Count; target++)
                {
                    if (target == map[i]) continue;
                    int other = target >= 0 ? owner[target] : -1, previous = map[i];
                    // Only these two nodes of a, these two of b and the edges at them can change cost.
                    int before = LocalCost(a, b, map, owner, i, other, previous, target);
                    Assign(map, owner, i, target, other, previous);
                    int after = LocalCost(a, b, map, owner, i, other, previous, target);
                    if (after < before)
                    {
                        cost += after - before;
                        improved = true;
                    }
                    else Assign(map, owner, i, previous, other, target);
                }
        }
        return cost;
    }

    /// <summary>Node i of a to <paramref name="target"/>; the node that held it (<paramref name="other"/>) takes
    /// i's former image <paramref name="previous"/>.</summary>
    private static void Assign(int[] map, int[] owner, int i, int target, int other, int previous)
    {
        map[i] = target;
        if (other >= 0) map[other] = previous;
        if (previous >= 0) owner[previous] = other;
        if (target >= 0) owner[target] = i;
    }

    /// <summary>The part of the edit cost that depends on where nodes i and other of a go and which nodes v and w
    /// of b (each may be -1) have preimages: their node costs and every edge at them, each edge once.</summary>
    private static int LocalCost(Graph a, Graph b, int[] map, int[] owner, int i, int other, int v, int w)
    {
        int cost = 0;
        foreach (int node in (ReadOnlySpan<int>)[i, other])
            if (node >= 0 && (map[node] < 0 || a.Labels[node] != b.Labels[map[node]])) cost++;
        foreach (int node in (ReadOnlySpan<int>)[v, w])
            if (node >= 0 && owner[node] < 0) cost++;
        foreach (var (x, y) in a.Incident[i])
            if (map[x] < 0 || map[y] < 0 || !b.Adjacent[map[x], map[y]]) cost++;
        if (other >= 0)
            foreach (var (x, y) in a.Incident[other])
                if (x != i && y != i && (map[x] < 0 || map[y] < 0 || !b.Adjacent[map[x], map[y]])) cost++;
        if (v >= 0)
            foreach (var (x, y) in b.Incident[v])
                if (owner[x] < 0 || owner[y] < 0 || !a.Adjacent[owner[x], owner[y]]) cost++;
        if (w >= 0)
            foreach (var (x, y) in b.Incident[w])
                if (x != v && y != v && (owner[x] < 0 || owner[y] < 0 || !a.Adjacent[owner[x], owner[y]])) cost++;
        return cost;
    }

    private static GraphEditDistance Compute(Graph a, Graph b, long budget)
    {
        // One fixed order of the two arguments makes the result symmetric even when the search runs out of budget.
        if (string.CompareOrdinal(a.Key, b.Key) > 0) (a, b) = (b, a);
        if (a.Key == b.Key) return new GraphEditDistance(0, true);
        int upper = Bipartite(a, b);
        if (a.Count > MaxExactNodes || b.Count > MaxExactNodes) return new GraphEditDistance(upper, false);
        var search = new BranchAndBound(a, b, upper, budget);
        bool complete = search.Run();
        return new GraphEditDistance(search.Best, complete);
    }

    /// <summary>Riesen-Bunke: substituting node i by node j costs the label difference plus half the edges at them
    /// that cannot pair with an edge to a neighbour of the same label (in and out apart; each edge has two ends);
    /// deleting or inserting a node costs 1 plus half its degree. The assignment is a proposal, costed exactly after.</summary>
    private static int[] BipartiteMapping(Graph a, Graph b)
    {
        int n = a.Count, m = b.Count, size = n + m;
        const double Forbidden = 1e9;
        var cost = new double[size, size];
        for (int i = 0; i < size; i++)
            for (int j = 0; j < size; j++)
            {
                if (i < n && j < m)
                    cost[i, j] = (a.Labels[i] == b.Labels[j] ? 0 : 1)
                        + 0.5 * (Unpaired(a.Predecessors[i], b.Predecessors[j]) + Unpaired(a.Successors[i], b.Successors[j]));
                else if (i < n) cost[i, j] = j - m == i ? 1 + 0.5 * (a.InDegree[i] + a.OutDegree[i]) : Forbidden;
                else if (j < m) cost[i, j] = i - n == j ? 1 + 0.5 * (b.InDegree[j] + b.OutDegree[j]) : Forbidden;
            }
        var columns = HungarianAssignment.Solve(cost);
        var map = new int[n];
        for (int i = 0; i < n; i++) map[i] = columns[i] < m ? columns[i] : -1;
        return map;
    }

    /// <summary>Edges at two nodes that cannot pair with an edge to a neighbour of the same label: the larger degree
    /// less the neighbour labels in common (sorted lists).</summary>
    private static int Unpaired(string[] x, string[] y)
    {
        int common = 0;
        for (int i = 0, j = 0; i < x.Length && j < y.Length;)
        {
            int c = string.CompareOrdinal(x[i], y[j]);
            if (c == 0) { common++; i++; j++; }
            else if (c < 0) i++;
            else j++;
        }
        return Math.Max(x.Length, y.Length) - common;
    }

    /// <summary>The edit cost of a complete mapping (node i of a to node map[i] of b, or -1: deleted).</summary>
    private static int MappingCost(Graph a, Graph b, int[] map)
    {
        int cost = 0;
        var preimage = new int[b.Count];
        Array.Fill(preimage, -1);
        for (int i = 0; i < a.Count; i++)
        {
            if (map[i] < 0) { cost++; continue; }
            preimage[map[i]] = i;
            if (a.Labels[i] != b.Labels[map[i]]) cost++;
        }
        cost += preimage.Count(p => p < 0);
        foreach (var (x, y) in a.Edges)
            if (map[x] < 0 || map[y] < 0 || !b.Adjacent[map[x], map[y]]) cost++;
        foreach (var (x, y) in b.Edges)
            if (preimage[x] < 0 || preimage[y] < 0 || !a.Adjacent[preimage[x], preimage[y]]) cost++;
        return cost;
    }

    /// <summary>Splits a graph into its cells by label prefix; null when it has no such structure.</summary>
    private static Dictionary<string, Graph>? Cells(ArchitectureGraph graph)
    {
        var prefix = new string[graph.NodeCount];
        for (int i = 0; i < prefix.Length; i++)
        {
            int colon = graph.Labels[i].IndexOf(':');
            if (colon <= 0) return null;
            prefix[i] = graph.Labels[i][..colon];
        }
        if (prefix.Distinct().Count() < 2 || graph.Edges.Any(e => prefix[e.From] != prefix[e.To])) return null;
        var cells = new Dictionary<string, Graph>();
        foreach (var name in prefix.Distinct())
        {
            var nodes = Enumerable.Range(0, prefix.Length).Where(i => prefix[i] == name).ToArray();
            var index = new Dictionary<int, int>();
            for (int k = 0; k < nodes.Length; k++) index[nodes[k]] = k;
            cells[name] = new Graph(nodes.Select(i => graph.Labels[i]).ToArray(),
                graph.Edges.Where(e => index.ContainsKey(e.From)).Select(e => (index[e.From], index[e.To])).ToArray());
        }
        return cells;
    }

    /// <summary>Depth-first branch and bound over mappings of a's nodes (each to an unused node of b, or deleted).</summary>
    private sealed class BranchAndBound
    {
        private readonly Graph _a, _b;
        private readonly int[] _labelA, _labelB;   // labels as small integers shared by both graphs
        private readonly int[] _labelCounts;        // scratch for the lower bound, all zero between uses
        private readonly int[] _order;              // a's nodes, most connected first: their edges constrain earliest
        private readonly int[] _map;                // a node -> b node, -1 deleted, -2 not yet assigned
        private readonly bool[] _used;              // b nodes with a preimage
        private readonly int[][] _childTargets, _childKeys, _childSteps; // per depth, reused
        private readonly long _budget;
        private long _expanded;

        public BranchAndBound(Graph a, Graph b, int upper, long budget)
        {
            (_a, _b, Best, _budget) = (a, b, upper, budget);
            var ids = a.Labels.Concat(b.Labels).Distinct().Select((label, k) => (label, k)).ToDictionary(p => p.label, p => p.k);
            _labelA = a.Labels.Select(l => ids[l]).ToArray();
            _labelB = b.Labels.Select(l => ids[l]).ToArray();
            _labelCounts = new int[ids.Count];
            _order = Enumerable.Range(0, a.Count).OrderByDescending(i => a.InDegree[i] + a.OutDegree[i]).ThenBy(i => i).ToArray();
            _map = Enumerable.Repeat(-2, a.Count).ToArray();
            _used = new bool[b.Count];
            _childTargets = Enumerable.Range(0, a.Count).Select(_ => new int[b.Count + 1]).ToArray();
            _childKeys = Enumerable.Range(0, a.Count).Select(_ => new int[b.Count + 1]).ToArray();
            _childSteps = Enumerable.Range(0, a.Count).Select(_ => new int[b.Count + 1]).ToArray();
        }

        public int Best { get; private set; }

        /// <summary>True when the search finished, so <see cref="Best"/> is the exact distance.</summary>
        public bool Run() => Search(0, 0);

        private bool Search(int depth, int cost)
        {
            if (++_expanded > _budget) return false;
            if (depth == _a.Count)
            {
                Best = Math.Min(Best, cost + CompletionCost());
                return true;
            }
            int node = _order[depth], count = 0;
            var targets = _childTargets[depth];
            var keys = _childKeys[depth];
            var steps = _childSteps[depth];
            for (int target = -1; target < _b.Count; target++)
            {
                if (target >= 0 && _used[target]) continue;
                int step = StepCost(node, target);
                _map[node] = target;
                if (target >= 0) _used[target] = true;
                targets[count] = target;
                steps[count] = step;
                keys[count++] = step + LowerBound(depth + 1);
                if (target >= 0) _used[target] = false;
            }
            _map[node] = -2;
            // Cheapest-looking child first, so good mappings are found early and prune the rest.
            Array.Sort(keys, targets, 0, count);
            for (int c = 0; c < count; c++)
            {
                if (cost + keys[c] >= Best) break; // sorted: no later child can do better
                int target = targets[c];
                int step = StepCost(node, target);
                _map[node] = target;
                if (target >= 0) _used[target] = true;
                bool finished = Search(depth + 1, cost + step);
                if (target >= 0) _used[target] = false;
                _map[node] = -2;
                if (!finished) return false;
            }
            return true;
        }

        /// <summary>Cost of mapping <paramref name="node"/> to <paramref name="target"/> (-1: delete it), with its
        /// edges to the nodes already mapped.</summary>
        private int StepCost(int node, int target)
        {
            int cost = target < 0 || _labelA[node] != _labelB[target] ? 1 : 0;
            for (int other = 0; other < _a.Count; other++)
            {
                int image = _map[other];
                if (image == -2 || other == node) continue;
                bool forward = _a.Adjacent[other, node], backward = _a.Adjacent[node, other];
                if (target < 0 || image < 0)
                {
                    cost += (forward ? 1 : 0) + (backward ? 1 : 0);
                    continue;
                }
                if (forward != _b.Adjacent[image, target]) cost++;
                if (backward != _b.Adjacent[target, image]) cost++;
            }
            return cost;
        }

        /// <summary>b's nodes left without a preimage are inserted, with every edge that touches them.</summary>
        private int CompletionCost()
        {
            int cost = 0;
            foreach (bool used in _used) if (!used) cost++;
            foreach (var (x, y) in _b.Edges) if (!_used[x] || !_used[y]) cost++;
            return cost;
        }

        /// <summary>Admissible bound on the cost still to come once <paramref name="assigned"/> nodes are mapped:
        /// every remaining node operation costs 1 except a substitution between equal labels, and a remaining edge of a
        /// can at best pair with a remaining edge of b; node and edge costs are separate terms of the sum.</summary>
        private int LowerBound(int assigned)
        {
            for (int k = assigned; k < _order.Length; k++) _labelCounts[_labelA[_order[k]]]++;
            int remainingA = _a.Count - assigned, remainingB = 0, common = 0;
            for (int j = 0; j < _b.Count; j++)
            {
                if (_used[j]) continue;
                remainingB++;
                if (_labelCounts[_labelB[j]] > 0) { _labelCounts[_labelB[j]]--; common++; }
            }
            for (int k = assigned; k < _order.Length; k++) _labelCounts[_labelA[_order[k]]] = 0;
            int edgesA = 0, edgesB = 0;
            foreach (var (x, y) in _a.Edges) if (_map[x] == -2 || _map[y] == -2) edgesA++;
            foreach (var (x, y) in _b.Edges) if (!_used[x] || !_used[y]) edgesB++;
            return Math.Max(remainingA, remainingB) - common + Math.Abs(edgesA - edgesB);
        }
    }

    /// <summary>A graph with an adjacency matrix and degrees; <see cref="Key"/> is its exact text form.</summary>
    private sealed class Graph
    {
        public static readonly Graph Empty = new([], []);

        public Graph(string[] labels, (int From, int To)[] edges)
        {
            Labels = labels;
            Edges = edges.Distinct().ToArray();
            Adjacent = new bool[labels.Length, labels.Length];
            InDegree = new int[labels.Length];
            OutDegree = new int[labels.Length];
            foreach (var (x, y) in Edges)
            {
                Adjacent[x, y] = true;
                OutDegree[x]++;
                InDegree[y]++;
            }
            Predecessors = Enumerable.Range(0, labels.Length)
                .Select(k => Edges.Where(e => e.To == k).Select(e => labels[e.From]).Order(StringComparer.Ordinal).ToArray()).ToArray();
            Successors = Enumerable.Range(0, labels.Length)
                .Select(k => Edges.Where(e => e.From == k).Select(e => labels[e.To]).Order(StringComparer.Ordinal).ToArray()).ToArray();
            Incident = Enumerable.Range(0, labels.Length).Select(k => Edges.Where(e => e.From == k || e.To == k).ToArray()).ToArray();
            Key = string.Join("\u001f", labels) + "\u001e" + string.Join(";", Edges.Select(e => $"{e.From},{e.To}"));
        }

        public static Graph From(ArchitectureGraph graph) => new(graph.Labels.ToArray(), graph.Edges.ToArray());

        public string[] Labels { get; }
        public (int From, int To)[] Edges { get; }
        public bool[,] Adjacent { get; }
        /// <summary>Per node, the sorted labels of the nodes its edges come from and go to.</summary>
        public string[][] Predecessors { get; }
        public string[][] Successors { get; }
        /// <summary>Per node, the edges into or out of it.</summary>
        public (int From, int To)[][] Incident { get; }
        public int[] InDegree { get; }
        public int[] OutDegree { get; }
        public int Count => Labels.Length;
        public string Key { get; }
    }
}
