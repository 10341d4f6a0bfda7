using Nascent.Spaces;
using TorchSharp;
using static TorchSharp.torch;

namespace Nascent.Nn;

/// <summary>
/// A classifier built from a cell space. Built as a supernet it holds every candidate operation once and runs the
/// path an architecture names at call time; built for one architecture it holds only that path's modules, under the
/// same names, so a supernet's state dictionary loads into it (<see cref="LoadPathFrom"/>).
/// </summary>
public abstract class CellNetwork : nn.Module<Tensor, Tensor>
{
    protected CellNetwork(string name, SearchSpace space, NetworkOptions options, Architecture? fixedArchitecture)
        : base(name)
    {
        options.Validate();
        if (fixedArchitecture is not null && fixedArchitecture.Space.Name != space.Name)
            throw new ArgumentException($"Architecture of space {fixedArchitecture.Space.Name} given to a {space.Name} network.");
        Space = space;
        Options = options;
        FixedArchitecture = fixedArchitecture;
    }

    public SearchSpace Space { get; }
    public NetworkOptions Options { get; }

    /// <summary>The one architecture a standalone network computes; null for a supernet.</summary>
    public Architecture? FixedArchitecture { get; }

    public bool IsSupernet => FixedArchitecture is null;

    /// <summary>Runs the path of <paramref name="architecture"/>; a standalone network accepts only its own.</summary>
    public Tensor Forward(Tensor input, Architecture architecture)
    {
        if (FixedArchitecture is not null && !FixedArchitecture.Equals(architecture))
            throw new ArgumentException("A standalone network computes only the architecture it was built for.");
        return ForwardPath(input, architecture);
    }

    protected abstract Tensor ForwardPath(Tensor input, Architecture architecture);

    public override Tensor forward(Tensor input) => ForwardPath(input, FixedArchitecture
        ?? throw new InvalidOperationException("A supernet needs an architecture: call Forward(input, architecture)."));

    /// <summary>Copies the weights (and batch-norm buffers) this network has from a supernet of the same space and
    /// options; every entry of this network must be found there.</summary>
    public void LoadPathFrom(CellNetwork supernet)
    {
        using var _ = no_grad();
        var source = supernet.state_dict();
        foreach (var (key, target) in state_dict())
        {
            if (!source.TryGetValue(key, out var value))
                throw new InvalidOperationException($"The supernet has no entry '{key}'.");
            target.copy_(value);
        }
    }

    /// <summary>Trainable parameters this network holds (for a standalone network: its architecture's count).</summary>
    public long ParameterCount() => parameters().Sum(p => p.numel());
}
