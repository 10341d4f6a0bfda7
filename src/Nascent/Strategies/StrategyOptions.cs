namespace Nascent.Strategies;

/// <summary>The options of every strategy the catalog can create; each strategy reads its own.</summary>
public sealed record StrategyOptions
{
    public RegularizedEvolutionOptions Evolution { get; init; } = new();
    /// <summary>The ENAS controller (enas, enas-memory); reinforce always uses <see cref="ControllerOptions.Reinforce"/>.</summary>
    public ControllerOptions Controller { get; init; } = new();
    public MemoryBufferOptions Memory { get; init; } = new();
    public NaoOptions Nao { get; init; } = new();
    public DppOptions Dpp { get; init; } = new();
    /// <summary>The costs of a device-aware search (monas, dpp): what MONAS's reward and DPP-Net's selection weigh.</summary>
    public CostObjectives Costs { get; init; } = new();
    public ParsecOptions Parsec { get; init; } = new();
    public DartsOptions Darts { get; init; } = new();
}
