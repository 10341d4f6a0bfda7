namespace Nascent.Nn;

/// <summary>Builds the network of a space: a supernet (every candidate operation) or one architecture's network.</summary>
public static class NetworkFactory
{
    public static CellNetwork CreateSupernet(SearchSpace space, NetworkOptions options) => Create(space, options, null);

    public static CellNetwork CreateStandalone(Architecture architecture, NetworkOptions options) =>
        Create(architecture.Space, options, architecture);

    private static CellNetwork Create(SearchSpace space, NetworkOptions options, Architecture? architecture) => space switch
    {
        Nb201Space => new Nb201Network(options, architecture),
        EnasMicroSpace enas => new EnasMicroNetwork(enas, options, architecture),
        _ => throw new NotSupportedException($"No network is defined for space {space.Name}."),
    };
}
