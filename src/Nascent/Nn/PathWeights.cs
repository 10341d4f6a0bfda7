namespace Nascent.Nn;

/// <summary>Weight sharing's hand-over: a standalone network names its entries as the supernet does, so its path's
/// weights are a subset of the supernet's state.</summary>
public static class PathWeights
{
    /// <summary>Copies every entry of <paramref name="standalone"/>'s state (weights and buffers) from the supernet's
    /// entry of the same name; an entry the supernet lacks is an error.</summary>
    public static void Copy(nn.Module supernet, nn.Module standalone)
    {
        using var _ = no_grad();
        var source = supernet.state_dict();
        foreach (var (key, target) in standalone.state_dict())
        {
            if (!source.TryGetValue(key, out var value))
                throw new InvalidOperationException($"The supernet has no entry '{key}'.");
            target.copy_(value);
        }
    }
}
