using Nascent.Core;
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
    public static IReadOnlyList<string> Names { get; } = ["rs", "rea", "reinforce", "nao"];

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

    public static ISearchStrategy Create(string name, SearchSpace space, ulong seed, StrategyOptions? options = null)
    {
        Validate(name);
        options ??= new StrategyOptions();
        return name switch
        {
            "rea" => new RegularizedEvolution(space, seed, options.Evolution),
            "reinforce" => new Enas(space, seed, ControllerOptions.Reinforce) { Name = "reinforce" },
            "nao" => new Nao(space, seed, options.Nao),
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
