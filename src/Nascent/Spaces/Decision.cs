namespace Nascent.Spaces;

/// <summary>What a decision chooses: an operation, or an input (an earlier node, chosen by attention in controllers).</summary>
public enum DecisionKind { Operation, Input }

/// <summary>One categorical decision of a space: a name, its kind, and its option labels.</summary>
public sealed record Decision(string Name, DecisionKind Kind, IReadOnlyList<string> Options)
{
    public int Count => Options.Count;
}
