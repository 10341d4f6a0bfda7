using Nascent.Core;

namespace Nascent.Spaces;

/// <summary>The spaces by the names the command line uses.</summary>
public static class SpaceCatalog
{
    public static IReadOnlyList<string> Names { get; } = ["nb201", "enas-micro"];

    public static SearchSpace Create(string name, int nodes = EnasMicroSpace.DefaultNodes) => name switch
    {
        "nb201" => Nb201Space.Instance,
        "enas-micro" => new EnasMicroSpace(nodes),
        _ => throw new NascentException($"Unknown space '{name}': use {string.Join(" or ", Names)}."),
    };
}
