namespace Nascent.Nn;

/// <summary>Weight sharing's hand-over: a standalone network names its entries as the supernet does, so its path's
/// weights are a subset of the supernet's state.</summary>
public static class PathWeights
{
    /// <summary>Copies every entry of <paramref name="standalone"/>'s state (weights and buffers) from the supernet's
    /// entry of the same name; an entry the supernet lacks is an error, except the affine parameters of a batch norm
    /// the supernet holds without them (a search cell's): those become 1 and 0, the same function.</summary>
    public static void Copy(nn.Module supernet, nn.Module standalone)
    {
        using var _ = no_grad();
        var source = supernet.state_dict();
        var supernetModules = supernet.named_modules().ToDictionary(m => m.name, m => m.module);
        var identityAffine = new HashSet<string>();
        foreach (var (name, module) in standalone.named_modules())
            if (module is BatchNorm { Weight: { } weight, Bias: { } bias }
                && supernetModules.GetValueOrDefault(name) is BatchNorm { Weight: null })
            {
                weight.fill_(1);
                bias.zero_();
                identityAffine.UnionWith([name + ".weight", name + ".bias"]);
            }
        foreach (var (key, target) in standalone.state_dict())
        {
            if (identityAffine.Contains(key)) continue;
            if (!source.TryGetValue(key, out var value))
                throw new InvalidOperationException($"The supernet has no entry '{key}'.");
            target.copy_(value);
        }
    }
}
