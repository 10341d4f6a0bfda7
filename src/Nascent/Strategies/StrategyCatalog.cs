using Nascent.Core;
using Nascent.Costs;
using Nascent.Spaces;

namespace Nascent.Strategies;

/// <summary>
/// The strategies by the names the command line uses. Some run one architecture at a time through ask/tell (on a
/// table, or training each candidate from scratch); the weight-sharing ones train a supernet on the paths they
/// name and need image data.
/// </summary>
public static class StrategyCatalog
{
    /// <summary>Ask/tell strategies for <c>nascent bench</c>, <c>nascent search --table</c> and from-scratch search;
    /// "random" is an alias of "rs".</summary>
    public static IReadOnlyList<string> Names { get; } = ["rs", "rea", "reinforce", "nao", "monas", "dpp"];

    /// <summary>Device-aware strategies: they need a cost (<see cref="StrategyOptions.Costs"/>).</summary>
    public static IReadOnlyList<string> MultiObjectiveNames { get; } = ["monas", "dpp"];

    /// <summary>Strategies over a weight-sharing supernet (need image data).</summary>
    public static IReadOnlyList<string> WeightSharingNames { get; } = ["rsws", "enas", "enas-memory", "nao-ws", "parsec", "darts"];

    public static bool IsWeightSharing(string name) => WeightSharingNames.Contains(name);

    /// <summary>Throws the one-line message for a name that cannot run one architecture at a time.</summary>
    public static void Validate(string name)
    {
        if (name == "random" || Names.Contains(name)) return;
        if (IsWeightSharing(name))
            throw new NascentException($"Strategy '{name}' trains shared weights on image data, so it cannot run on a table; " +
                $"use {string.Join(", ", Names)} with --table.");
        throw new NascentException($"Unknown strategy '{name}': use {string.Join(", ", Names)}.");
    }

    /// <summary>Creates an ask/tell strategy; <paramref name="costModels"/> give dpp its candidates' device costs
    /// (one per cost of <see cref="StrategyOptions.Costs"/>, in that order).</summary>
    public static ISearchStrategy Create(string name, SearchSpace space, ulong seed, StrategyOptions? options = null,
        IReadOnlyList<ICostModel>? costModels = null)
    {
        Validate(name);
        options ??= new StrategyOptions();
        if (MultiObjectiveNames.Contains(name)) options.Costs.Validate();
        return name switch
        {
            "rea" => new RegularizedEvolution(space, seed, options.Evolution),
            "reinforce" => new Enas(space, seed, ControllerOptions.Reinforce) { Name = "reinforce" },
            "nao" => new Nao(space, seed, options.Nao),
            "monas" => new Enas(space, seed, ControllerOptions.Reinforce, reward: new MonasReward(options.Costs)) { Name = "monas" },
            "dpp" => new Dpp(space, seed, options.Dpp, costModels ?? []),
            _ => new RandomSearch(space, seed, weightSharing: false),
        };
    }

    public static IWeightSharingStrategy CreateWeightSharing(string name, SearchSpace space, ulong seed,
        StrategyOptions? options = null)
    {
        options ??= new StrategyOptions();
        return name switch
        {
            "rsws" => new RandomSearch(space, seed, weightSharing: true),
            "enas" => new Enas(space, seed, options.Controller),
            "enas-memory" => new Enas(space, seed, options.Controller, options.Memory) { Name = "enas-memory" },
            "nao-ws" => new Nao(space, seed, options.Nao, weightSharing: true),
            "parsec" => new Parsec(space, seed, options.Parsec),
            "darts" => new Darts(space, seed, options.Darts),
            _ => throw new NascentException($"Unknown weight-sharing strategy '{name}': use {string.Join(", ", WeightSharingNames)}."),
        };
    }
}
