using System.Net;

namespace Nascent.Reports;

/// <summary>One cell of an architecture drawn as SVG: a layered left-to-right DAG with labelled edges.</summary>
public sealed record CellDrawing(string Title, string Svg);

/// <summary>
/// Draws an architecture's cells from its <see cref="ArchitectureGraph"/>: each operation node (one input, one output,
/// labelled with an operation of the space) becomes a labelled edge, as cells are usually drawn; the other nodes
/// (inputs, sums, outputs) are boxes placed in layers by their longest path from an input. Labels prefixed
/// <c>cell:</c> (ENAS micro's <c>normal:</c> and <c>reduce:</c>) split the graph into one drawing per cell.
/// Edges that skip layers pass above or below the boxes between, parallel edges fan out, and edge labels are
/// placed along their curves where they cover no box and no other label.
/// </summary>
public static class CellDiagram
{
    private const double NodeHeight = 28, RowGap = 76, Margin = 24, CharWidth = 7.2, EdgeLabelRoom = 150, LabelCharWidth = 6.8, LabelHeight = 14;

    /// <param name="idPrefix">makes the arrow marker's id unique among several drawings in one HTML page.</param>
    /// <param name="standalone">adds the SVG namespace a standalone .svg file needs (HTML does not).</param>
    public static IReadOnlyList<CellDrawing> Draw(Architecture architecture, string idPrefix, bool standalone = false)
    {
        var graph = architecture.ToGraph();
        var operations = architecture.Space.Decisions.Where(d => d.Kind == DecisionKind.Operation)
            .SelectMany(d => d.Options).ToHashSet();
        var groups = Enumerable.Range(0, graph.NodeCount).GroupBy(n => Split(graph.Labels[n]).Cell).ToList();
        return groups.Select((g, i) => new CellDrawing(g.Key == "" ? "cell" : g.Key + " cell",
            DrawCell(graph, g.ToHashSet(), operations, $"{idPrefix}-{i}", standalone))).ToList();
    }

    private static (string Cell, string Label) Split(string label)
    {
        int colon = label.IndexOf(':');
        return colon < 0 ? ("", label) : (label[..colon], label[(colon + 1)..]);
    }

    private static string DrawCell(ArchitectureGraph graph, HashSet<int> members, HashSet<string> operations, string id, bool standalone)
    {
        var edges = graph.Edges.Where(e => members.Contains(e.From) && members.Contains(e.To)).ToList();
        var into = members.ToDictionary(n => n, n => edges.Where(e => e.To == n).Select(e => e.From).ToList());
        var outOf = members.ToDictionary(n => n, n => edges.Where(e => e.From == n).Select(e => e.To).ToList());
        bool IsOperation(int n) => operations.Contains(Split(graph.Labels[n]).Label) && into[n].Count == 1 && outOf[n].Count == 1;

        var boxes = members.Where(n => !IsOperation(n)).Order().ToList();
        var arcs = new List<(int From, int To, string Label)>();
        foreach (var (from, to) in edges)
        {
            if (IsOperation(from)) continue; // drawn with the edge into it
            if (IsOperation(to)) arcs.Add((from, outOf[to][0], Split(graph.Labels[to]).Label));
            else arcs.Add((from, to, ""));
        }

        // Longest-path layers; node ids are topological (edges go from lower to higher ids).
        var layer = boxes.ToDictionary(n => n, _ => 0);
        foreach (int n in boxes)
            foreach (var arc in arcs.Where(a => a.To == n)) layer[n] = Math.Max(layer[n], layer[arc.From] + 1);
        var layers = boxes.GroupBy(n => layer[n]).OrderBy(g => g.Key).Select(g => g.ToList()).ToList();
        // Fewer crossings: order each layer by the mean row of its nodes' predecessors (barycentre heuristic).
        var row = new Dictionary<int, double>();
        foreach (var l in layers)
        {
            double Centre(int n) => arcs.Where(a => a.To == n).Select(a => row[a.From]).DefaultIfEmpty(n).Average();
            l.Sort((p, q) => Centre(p).CompareTo(Centre(q)) is var c && c != 0 ? c : p.CompareTo(q));
            for (int i = 0; i < l.Count; i++) row[l[i]] = i - (l.Count - 1) / 2.0;
        }
        double Width(int n) => Split(graph.Labels[n]).Label.Length * CharWidth + 18;
        double boxWidth = boxes.Max(Width), layerGap = boxWidth + EdgeLabelRoom;
        var position = boxes.ToDictionary(n => n, n => (X: boxWidth / 2 + layer[n] * layerGap, Y: row[n] * RowGap));

        // Curves: cubic Béziers from a box's right side to the next box's left side. One that skips layers passes
        // above or below the boxes between (whichever side is nearer), each in its own lane; parallel edges fan out.
        var curves = new List<(double[] P, string Label)>();
        int lanesAbove = 0, lanesBelow = 0;
        foreach (var pair in arcs.GroupBy(a => (a.From, a.To)))
        {
            var ((x1, y1), (x2, y2)) = (position[pair.Key.From], position[pair.Key.To]);
            double sx = x1 + Width(pair.Key.From) / 2, tx = x2 - Width(pair.Key.To) / 2, dx = (tx - sx) / 2;
            double? through = null;
            var between = boxes.Where(n => layer[n] > layer[pair.Key.From] && layer[n] < layer[pair.Key.To]).Select(n => position[n].Y).ToList();
            if (between.Count > 0)
            {
                double top = between.Min() - NodeHeight / 2, bottom = between.Max() + NodeHeight / 2, middle = (y1 + y2) / 2;
                // On a tie (one row), edges from even layers go above, from odd ones below: NAS-Bench-201's 0->2 and
                // 1->3 then never cross.
                bool above = Math.Abs((middle - top) - (bottom - middle)) < 1e-9 ? layer[pair.Key.From] % 2 == 0 : middle - top < bottom - middle;
                through = above ? top - 20 - 18 * lanesAbove++ : bottom + 20 + 18 * lanesBelow++;
            }
            var parallel = pair.ToList();
            for (int k = 0; k < parallel.Count; k++)
            {
                double fan = (k - (parallel.Count - 1) / 2.0) * 26;
                // With both control points at height c the curve's middle is at (y1 + y2) / 8 + 3c / 4.
                double c1y = through is { } m ? (8 * (m + fan) - y1 - y2) / 6 : y1 + fan * 4 / 3;
                double c2y = through is null ? y2 + fan * 4 / 3 : c1y;
                curves.Add(([sx, y1, sx + dx, c1y, tx - dx, c2y, tx, y2], parallel[k].Label));
            }
        }
        static (double X, double Y) At(double[] p, double t)
        {
            double a = Math.Pow(1 - t, 3), b = 3 * Math.Pow(1 - t, 2) * t, c = 3 * (1 - t) * t * t, d = t * t * t;
            return (a * p[0] + b * p[2] + c * p[4] + d * p[6], a * p[1] + b * p[3] + c * p[5] + d * p[7]);
        }

        // Labels go where they overlap no box and no other label: the curve's middle, or further along it.
        var taken = boxes.Select(n => (position[n].X, position[n].Y, W: Width(n), H: NodeHeight)).ToList();
        bool Free((double X, double Y, double W, double H) r) =>
            taken.All(t => Math.Abs(t.X - r.X) * 2 >= t.W + r.W || Math.Abs(t.Y - r.Y) * 2 >= t.H + r.H);
        var labels = new List<(double X, double Y, string Text)>();
        foreach (var (p, label) in curves.Where(c => c.Label.Length > 0))
        {
            var spots = new[] { 0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8 }.Select(t => At(p, t))
                .Select(q => (q.X, q.Y, W: label.Length * LabelCharWidth, H: LabelHeight)).ToList();
            var spot = spots.FirstOrDefault(Free, spots[0]);
            taken.Add(spot);
            labels.Add((spot.X, spot.Y, label));
        }

        var ys = curves.SelectMany(c => Enumerable.Range(0, 11).Select(i => At(c.P, i / 10.0).Y))
            .Concat(taken.SelectMany(t => new[] { t.Y - t.H / 2, t.Y + t.H / 2 })).ToList();
        double shiftX = Margin, shiftY = Margin - ys.Min();
        double width = 2 * Margin + (layers.Count - 1) * layerGap + boxWidth, height = ys.Max() - ys.Min() + 2 * Margin;

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg {(standalone ? "xmlns=\"http://www.w3.org/2000/svg\" " : "")}class=\"cell\" width=\"{width:0}\" height=\"{height:0}\" viewBox=\"0 0 {width:0} {height:0}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.Append(CultureInfo.InvariantCulture, $"<defs><marker id=\"{id}-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>");
        svg.Append(CultureInfo.InvariantCulture, $"<g transform=\"translate({shiftX:0.#},{shiftY:0.#})\">");
        foreach (var (p, _) in curves)
            svg.Append(CultureInfo.InvariantCulture,
                $"<path d=\"M{p[0]:0.#},{p[1]:0.#} C{p[2]:0.#},{p[3]:0.#} {p[4]:0.#},{p[5]:0.#} {p[6]:0.#},{p[7]:0.#}\" fill=\"none\" stroke=\"#555\" stroke-width=\"1.4\" marker-end=\"url(#{id}-arrow)\"/>");
        foreach (var (x, y, text) in labels) // above every edge, on a white ground that hides the edges below
        {
            double w = text.Length * LabelCharWidth;
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect x=\"{x - w / 2:0.#}\" y=\"{y - LabelHeight / 2:0.#}\" width=\"{w:0.#}\" height=\"{LabelHeight}\" fill=\"#fff\" fill-opacity=\"0.9\"/>");
            svg.Append(CultureInfo.InvariantCulture,
                $"<text class=\"op\" x=\"{x:0.#}\" y=\"{y + 4:0.#}\" text-anchor=\"middle\" fill=\"#1f4e99\">{WebUtility.HtmlEncode(text)}</text>");
        }
        foreach (int n in boxes)
        {
            var (x, y) = position[n];
            string label = Split(graph.Labels[n]).Label;
            string fill = into[n].Count == 0 && label.StartsWith("input", StringComparison.Ordinal) ? "#dbe9f8"
                : outOf[n].Count == 0 ? "#dcf2dc" : "#f1f1f1";
            double w = Width(n);
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect class=\"node\" x=\"{x - w / 2:0.#}\" y=\"{y - NodeHeight / 2:0.#}\" width=\"{w:0.#}\" height=\"{NodeHeight}\" rx=\"6\" fill=\"{fill}\" stroke=\"#333\"/>");
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{x:0.#}\" y=\"{y + 4:0.#}\" text-anchor=\"middle\">{WebUtility.HtmlEncode(label)}</text>");
        }
        svg.Append("</g>");
        svg.Append("</svg>");
        return svg.ToString();
    }
}
