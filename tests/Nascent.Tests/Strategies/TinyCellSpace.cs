using Nascent.Core;
using Nascent.Spaces;

namespace Nascent.Tests.Strategies;

/// <summary>A cell of two nodes after two inputs: node 2 picks an input (0-1) and an operation (a, b, c), node 3 an
/// input (0-2) and an operation: 54 architectures, small enough to enumerate.</summary>
public sealed class TinyCellSpace : SearchSpace
{
    private static readonly string[] Ops = ["a", "b", "c"];

    public TinyCellSpace() : base([
        new Decision("node 2 input", DecisionKind.Input, ["0", "1"], "cell", 2),
        new Decision("node 2 op", DecisionKind.Operation, Ops, "cell", 2),
        new Decision("node 3 input", DecisionKind.Input, ["0", "1", "2"], "cell", 3),
        new Decision("node 3 op", DecisionKind.Operation, Ops, "cell", 3),
    ]) { }

    public override string Name => "tiny";

    public override string Format(Architecture a) => string.Join(" ", a.Choices);

    public override Architecture Parse(string text) =>
        Create(text.Split(' ').Select(s => int.TryParse(s, out var v) ? v : throw new NascentException($"bad '{text}'")).ToArray());

    public override ArchitectureGraph ToGraph(Architecture a) =>
        new(["in0", "in1", Ops[a[1]], Ops[a[3]]], [(a[0], 2), (a[2], 3)]);
}
