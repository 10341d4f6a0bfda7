using Nascent.Nn;
using Nascent.Spaces;

namespace Nascent.Costs;

/// <summary>Trainable parameters of an architecture's standalone network, counted from the built modules.</summary>
public static class ParameterCount
{
    public static long Of(Architecture architecture, NetworkOptions options)
    {
        using var network = NetworkFactory.CreateStandalone(architecture, options);
        return network.ParameterCount();
    }
}
