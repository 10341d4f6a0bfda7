using Nascent.Core;
using Nascent.Spaces;

namespace Nascent.Strategies;

/// <summary>
/// The strategies that run one architecture at a time through ask/tell (on a table, or training each candidate from
/// scratch), by the names the command line uses. Strategies that need shared weights or a controller network not
/// yet written say so in one line.
/// </summary>
public static class StrategyCatalog
{
    /// <summary>Names for <c>nascent bench</c> and <c>nascent search --table</c>; "random" is an alias of "rs".</summary>
    public static IReadOnlyList<string> Names { get; } = ["rs", "rea"];

    /// <summary>Strategies that are announced but not written yet, with what they wait for.</summary>
    public static IReadOnlyDictionary<string, string> Planned { get; } = new Dictionary<string, string>
    {
        ["reinforce"] = "REINFORCE needs the ENAS controller, which is not written yet",
    };

    /// <summary>Throws the one-line message for a name that cannot run one architecture at a time.</summary>
    public static void Validate(string name)
    {
        if (name is "rs" or "random" or "rea") return;
        if (Planned.TryGetValue(name, out var why))
            throw new NascentException($"Strategy '{name}' is not available yet ({why}); use {string.Join(" or ", Names)}.");
        if (name == "rsws")
            throw new NascentException("Strategy 'rsws' trains shared weights on image data, so it cannot run on a table; " +
                $"use {string.Join(" or ", Names)} with --table.");
        throw new NascentException($"Unknown strategy '{name}': use {string.Join(" or ", Names)}.");
    }

    public static ISearchStrategy Create(string name, SearchSpace space, ulong seed, RegularizedEvolutionOptions? evolution = null)
    {
        Validate(name);
        return name == "rea"
            ? new RegularizedEvolution(space, seed, evolution)
            : new RandomSearch(space, seed, weightSharing: false);
    }
}
