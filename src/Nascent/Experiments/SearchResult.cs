namespace Nascent.Experiments;

/// <summary>A run's result.json (schema in docs/RESULTS.md). Accuracies in percent.</summary>
public sealed record SearchResult(
    string Command,
    string Strategy,
    string Space,
    string Dataset,
    ulong Seed,
    BestArchitecture Best,
    int Trials,
    int FailedTrials,
    double WallSeconds,
    IReadOnlyList<RankedArchitecture> Top,
    string RunDirectory);

/// <summary>The architecture a run returns. <c>TestAcc</c> is null unless it was measured.</summary>
public sealed record BestArchitecture(string Arch, double ValAcc, double? TestAcc, long Params);

public sealed record RankedArchitecture(string Arch, double ValAcc, long? Params);
