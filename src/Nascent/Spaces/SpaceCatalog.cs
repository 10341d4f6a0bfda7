namespace Nascent.Spaces;

/// <summary>The spaces by the names the command line uses.</summary>
public static class SpaceCatalog
{
    public static IReadOnlyList<string> Names { get; } = ["nb201", "enas-micro", "enas-rnn", "nao-rnn"];

    /// <summary>Spaces of recurrent cells, searched on text (language models), not on images.</summary>
    public static bool IsRecurrent(string name) => name is "enas-rnn" or "nao-rnn";

    /// <param name="nodes">Nodes per cell: null for the space's default.</param>
    public static SearchSpace Create(string name, int? nodes = null) => name switch
    {
        "nb201" => Nb201Space.Instance,
        "enas-micro" => new EnasMicroSpace(nodes ?? EnasMicroSpace.DefaultNodes),
        "enas-rnn" => new RecurrentCellSpace(RecurrentCellFamily.Enas, nodes ?? RecurrentCellSpace.DefaultNodes),
        "nao-rnn" => new RecurrentCellSpace(RecurrentCellFamily.Nao, nodes ?? RecurrentCellSpace.DefaultNodes),
        _ => throw new NascentException($"Unknown space '{name}': use {string.Join(", ", Names)}."),
    };
}
