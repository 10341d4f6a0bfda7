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
        using var laidOut = InLayout(input);
        return ForwardPath(laidOut, architecture);
    }

    /// <summary>Whether the network runs with channels-last strides (the default; <see cref="MemoryLayout"/>): the
    /// same ops, outputs agree with the contiguous layout to float rounding (tests). An earlier attempt was reverted
    /// for a hang on the ENAS micro supernet's first step that neither that commit nor this code reproduces. A 3 %
    /// gradient difference seen on a tiny ENAS micro network is the network's own conditioning: scaling the input by
    /// 1 + 1e-7 moves it as much (tests). On a quiet machine it made the ENAS micro step 2.6x faster and the default
    /// search 2x faster (docs/BENCHMARKS.md, "Channels-last"); ENAS micro networks turn it off again (a native fault on
    /// another machine, see <see cref="EnasMicroNetwork"/>).</summary>
    public bool ChannelsLast { get; set; } = true;

    /// <summary>A channels-last copy of a 4-d <paramref name="input"/> when <see cref="ChannelsLast"/>, else the input
    /// itself (another handle to it, for the caller to dispose).</summary>
    private Tensor InLayout(Tensor input) =>
        ChannelsLast && input.dim() == 4 ? MemoryLayout.ToChannelsLast(input) : input.alias();

    protected abstract Tensor ForwardPath(Tensor input, Architecture architecture);

    /// <summary>Whether <see cref="ForwardMixed"/> is defined for this network's space.</summary>
    public virtual bool SupportsMixedForward => false;

    /// <summary>DARTS's continuous relaxation: every decision computes every option, weighted by
    /// <paramref name="decisionWeights"/>[decision] (a vector over its options, e.g. softmax(α)). A supernet only.</summary>
    public Tensor ForwardMixed(Tensor input, IReadOnlyList<Tensor> decisionWeights)
    {
        if (!IsSupernet) throw new InvalidOperationException("Only a supernet holds every operation.");
        if (!SupportsMixedForward)
            throw new Core.NascentException($"No continuous relaxation (DARTS) is defined for space {Space.Name}; use --space nb201.");
        if (decisionWeights.Count != Space.Decisions.Count)
            throw new ArgumentException($"{decisionWeights.Count} weight vectors for {Space.Decisions.Count} decisions.");
        using var laidOut = InLayout(input);
        return ForwardMixedPath(laidOut, decisionWeights);
    }

    protected virtual Tensor ForwardMixedPath(Tensor input, IReadOnlyList<Tensor> decisionWeights) =>
        throw new NotSupportedException();

    public override Tensor forward(Tensor input) => Forward(input, FixedArchitecture
        ?? throw new InvalidOperationException("A supernet needs an architecture: call Forward(input, architecture)."));

    /// <summary>Copies the weights (and batch-norm buffers) this network has from a supernet of the same space and
    /// options; every entry of this network must be found there.</summary>
    public void LoadPathFrom(CellNetwork supernet) => PathWeights.Copy(supernet, this);

    /// <summary>Trainable parameters this network holds (for a standalone network: its architecture's count).</summary>
    public long ParameterCount() => parameters().Sum(p => p.numel());
}
