using System.Text.Json.Serialization.Metadata;

namespace Nascent.Strategies;

/// <summary>
/// Every strategy Nascent has, by its descriptor: one registration line each. Everything that needs to know which
/// strategies exist (validation, the command line, bench, compare, the report, the analysis) asks here.
/// </summary>
public static class StrategyCatalog
{
    public static IReadOnlyList<StrategyDescriptor> All { get; } =
    [
        RandomSearch.Descriptor,
        RegularizedEvolution.Descriptor,
        LocalSearch.Descriptor,
        Enas.ReinforceDescriptor,
        Nao.Descriptor,
        Enas.MonasDescriptor,
        Dpp.Descriptor,
        RandomSearch.WeightSharingDescriptor,
        Enas.Descriptor,
        Enas.MemoryDescriptor,
        Nao.WeightSharingDescriptor,
        Parsec.Descriptor,
        Darts.Descriptor,
        InstaNas.Descriptor,
    ];

    public static IEnumerable<StrategyDescriptor> OfKind(StrategyKind kind) => All.Where(d => d.Kind == kind);

    public static string NamesOf(IEnumerable<StrategyDescriptor> descriptors) => string.Join(", ", descriptors.Select(d => d.Name));

    /// <summary>The descriptor a name or alias answers to, or null.</summary>
    public static StrategyDescriptor? Find(string name) => All.FirstOrDefault(d => d.Answers(name));

    /// <summary>The descriptor of <paramref name="name"/>; an unknown name is one line listing the known ones.</summary>
    public static StrategyDescriptor Get(string name) => Find(name)
        ?? throw new NascentException($"Unknown strategy '{name}': use {NamesOf(All)}.");

    /// <summary>A one-at-a-time strategy (for a table, or training each candidate from scratch): anything else is
    /// one line saying why it cannot run that way.</summary>
    public static StrategyDescriptor OneAtATime(string name)
    {
        var descriptor = Get(name);
        if (descriptor.Kind != StrategyKind.OneAtATime)
            throw new NascentException($"Strategy '{descriptor.Name}' " + (descriptor.Kind == StrategyKind.WeightSharing
                ? "trains shared weights on image or text data, so it cannot run on a table"
                : "chooses an architecture per input image and runs as its own search") +
                $"; use {NamesOf(OfKind(StrategyKind.OneAtATime))} with --table.");
        return descriptor;
    }

    /// <summary>Lets System.Text.Json read and write any strategy's options record where a configuration holds an
    /// <see cref="IStrategyOptions"/> (config.json), tagged with the record's type name.</summary>
    public static void AddOptionTypes(JsonTypeInfo info)
    {
        if (info.Type != typeof(IStrategyOptions)) return;
        info.PolymorphismOptions = new JsonPolymorphismOptions { TypeDiscriminatorPropertyName = "type" };
        foreach (var type in All.Select(d => d.OptionsType).Distinct())
            info.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(type, type.Name));
    }
}
