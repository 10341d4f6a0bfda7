namespace Nascent.Spaces;

/// <summary>
/// An immutable point of a search space: one option index per decision. Two architectures are equal when they
/// belong to the same space and make the same choices. <see cref="ToString"/> gives the space's string form,
/// which <see cref="SearchSpace.Parse"/> reads back.
/// </summary>
public sealed class Architecture : IEquatable<Architecture>
{
    private readonly int[] _choices;

    internal Architecture(SearchSpace space, int[] choices)
    {
        Space = space;
        _choices = choices;
    }

    public SearchSpace Space { get; }
    public IReadOnlyList<int> Choices => _choices;
    public int this[int decision] => _choices[decision];

    /// <summary>The option label chosen at one decision.</summary>
    public string Label(int decision) => Space.Decisions[decision].Options[_choices[decision]];

    /// <summary>The same architecture with one decision changed (validated).</summary>
    public Architecture With(int decision, int option)
    {
        var copy = (int[])_choices.Clone();
        copy[decision] = option;
        return Space.Create(copy);
    }

    /// <summary>Tokens for sequence models: one vocabulary over all (decision, option) pairs of the space.</summary>
    public int[] ToTokens() => Space.ToTokens(this);

    public ArchitectureGraph ToGraph() => Space.ToGraph(this);

    public bool Equals(Architecture? other) =>
        other is not null && other.Space.Name == Space.Name && _choices.AsSpan().SequenceEqual(other._choices);

    public override bool Equals(object? obj) => Equals(obj as Architecture);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Space.Name);
        foreach (var c in _choices) hash.Add(c);
        return hash.ToHashCode();
    }

    public override string ToString() => Space.Format(this);
}
