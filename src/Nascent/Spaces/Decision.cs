namespace Nascent.Spaces;

/// <summary>What a decision chooses: an operation, or an input (an earlier node, chosen by attention in controllers).</summary>
public enum DecisionKind { Operation, Input }

/// <summary>
/// One categorical decision of a space: a name, its kind, its option labels, and where it sits in the cell: the
/// <see cref="Group"/> (a cell) and the <see cref="Node"/> whose inputs or operations it chooses. Option k of an input
/// decision names node k of the same group. Controllers read this structure to attend over earlier nodes.
/// </summary>
public sealed record Decision(string Name, DecisionKind Kind, IReadOnlyList<string> Options, string Group = "", int Node = -1)
{
    public int Count => Options.Count;
}
