namespace Nascent.Nn;

/// <summary>
/// Initialises a module's parameters uniformly in [-bound, bound] from a <see cref="SeededRandom"/> instead of torch's
/// global generator, so modules built on several threads at once (parallel tabular runs) stay reproducible.
/// </summary>
public static class ParameterInit
{
    public static void Uniform(nn.Module module, SeededRandom random, Func<Parameter, double> bound)
    {
        // A dispose scope holds every temporary until the end: TorchSharp passes handles of tensors no longer
        // referenced from managed code, which the garbage collector may otherwise finalize during the native call.
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        foreach (var p in module.parameters())
        {
            double b = bound(p);
            var values = new float[p.numel()];
            for (int k = 0; k < values.Length; k++) values[k] = (float)((2 * random.NextDouble() - 1) * b);
            p.copy_(tensor(values, p.shape));
        }
    }
}
