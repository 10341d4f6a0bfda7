namespace Nascent.Export;

/// <summary>One decision of an exported architecture: its name and kind, the option index chosen and its label.</summary>
public sealed record ChosenDecision(string Name, DecisionKind Kind, int Option, string Label);

/// <summary>
/// architecture.json, what <c>nascent export</c> writes for every format: the architecture in its space's string
/// form and as its decisions, with where it came from. <c>nascent train --from</c> reads it (the file, or the export
/// folder holding it).
/// </summary>
public sealed record ArchitectureFile(string Format, string Space, int? Nodes, string Arch, IReadOnlyList<ChosenDecision> Decisions,
    string? Dataset = null, double? ValAcc = null, double? TestAcc = null, string? Source = null)
{
    public const string FileName = "architecture.json";
    public const string CurrentFormat = "nascent-architecture/1";

    public static ArchitectureFile Of(Architecture architecture, string? dataset = null, double? valAcc = null,
        double? testAcc = null, string? source = null) =>
        new(CurrentFormat, architecture.Space.Name, (architecture.Space as EnasMicroSpace)?.Nodes, architecture.ToString(),
            architecture.Space.Decisions.Select((d, i) => new ChosenDecision(d.Name, d.Kind, architecture[i], architecture.Label(i))).ToArray(),
            dataset, valAcc, testAcc, source);

    public static ArchitectureFile Read(string path)
    {
        var file = RunDirectory.ReadJson<ArchitectureFile>(path);
        if (file.Format != CurrentFormat)
            throw new NascentException($"{path} is not a Nascent architecture file (format '{file.Format}', expected '{CurrentFormat}').");
        return file;
    }

    /// <summary>The architecture the string names; the decisions, when given, must agree with it.</summary>
    public Architecture ToArchitecture()
    {
        var architecture = SpaceCatalog.Create(Space, Nodes ?? EnasMicroSpace.DefaultNodes).Parse(Arch);
        if (Decisions is { Count: > 0 } && !Decisions.Select(d => d.Option).SequenceEqual(architecture.Choices))
            throw new NascentException($"The decisions in {FileName} do not match its architecture string '{Arch}'.");
        return architecture;
    }
}
