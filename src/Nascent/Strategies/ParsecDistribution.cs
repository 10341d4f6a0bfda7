using System.Text.Json;

namespace Nascent.Strategies;

/// <summary>
/// A learned PARSEC distribution as written to a run's distribution.json: the space (name and decision list), per
/// decision its options, logits and probabilities, the most probable architecture and the entropy. Loading it back
/// gives the same logits (doubles are written round-trip); <see cref="CheckSpace"/> rejects another space.
/// </summary>
public sealed record ParsecDistribution(string Space, IReadOnlyList<ParsecDecision> Decisions, string MostProbable,
    double Entropy, long Updates)
{
    public const string FileName = "distribution.json";

    /// <summary>The π step size the search used (null when not known: a distribution never updated by a search).</summary>
    public double? LearningRate { get; init; }

    public static ParsecDistribution Of(SearchSpace space, IReadOnlyList<double[]> logits, string mostProbable, double entropy, long updates) =>
        new(space.Name, space.Decisions.Select((d, i) =>
        {
            double max = logits[i].Max();
            var e = logits[i].Select(l => Math.Exp(l - max)).ToArray();
            double sum = e.Sum();
            return new ParsecDecision(d.Name, d.Options, logits[i].ToArray(), e.Select(v => v / sum).ToArray());
        }).ToArray(), mostProbable, entropy, updates);

    /// <summary>Writes it whole (<see cref="Experiments.Execution.RunDirectory.WriteJson{T}"/>), for <see cref="Load"/>.</summary>
    public void Save(string file) =>
        Experiments.Execution.RunDirectory.Of(Path.GetDirectoryName(Path.GetFullPath(file))!).WriteJson(Path.GetFileName(file), this);

    /// <summary>Reads a distribution.json, or a run directory's; a missing or unreadable file is one clear line.</summary>
    public static ParsecDistribution Load(string path)
    {
        string file = Directory.Exists(path) ? Path.Combine(path, FileName) : path;
        if (!File.Exists(file))
            throw new NascentException($"{file} not found: --prior-from needs the run directory of a finished parsec search.");
        try
        {
            var value = JsonSerializer.Deserialize<ParsecDistribution>(File.ReadAllText(file), Experiments.Execution.RunDirectory.Json);
            if (value?.Decisions is null || value.Space is null) throw new NascentException($"{file} holds no PARSEC distribution.");
            return value;
        }
        catch (JsonException e)
        {
            throw new NascentException($"{file} is not a valid PARSEC distribution ({e.Message}).");
        }
    }

    /// <summary>Throws one clear line unless this distribution was learned on <paramref name="space"/> (same name,
    /// same decisions with the same options).</summary>
    public void CheckSpace(SearchSpace space, string source)
    {
        bool same = Space == space.Name && Decisions.Count == space.Decisions.Count
            && Decisions.Zip(space.Decisions).All(p => p.First.Name == p.Second.Name && p.First.Options.SequenceEqual(p.Second.Options)
                && p.First.Logits.Count == p.Second.Count);
        if (!same)
            throw new NascentException($"--prior-from {source}: that run's distribution is over space {Space} ({Decisions.Count} decisions), " +
                $"this search's space is {space.Name} ({space.Decisions.Count} decisions); a prior transfers only between searches of the same space (and --nodes).");
    }
}

/// <summary>One decision of a <see cref="ParsecDistribution"/>: its options, logits π and probabilities softmax(π).</summary>
public sealed record ParsecDecision(string Name, IReadOnlyList<string> Options, IReadOnlyList<double> Logits,
    IReadOnlyList<double> Probabilities);
