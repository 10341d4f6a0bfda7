namespace Nascent.Experiments.Search;

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
    string RunDirectory,
    TableSearchInfo? Table = null,
    ParetoSummary? Pareto = null,
    Analysis.RankingAnalysisResult? Truth = null);

/// <summary>The architecture a run returns. <c>TestAcc</c> is null unless it was measured. In a tabular search
/// <c>ValAcc</c> is the objective column, <c>TestAcc</c> the report column; <c>Costs</c> are the costs named with
/// --cost (table columns, or measured latency, params, flops).</summary>
public sealed record BestArchitecture(string Arch, double ValAcc, double? TestAcc, long Params,
    IReadOnlyDictionary<string, double>? Costs = null);

/// <summary>What a tabular search looked up: the files, the columns named, and the queries spent.</summary>
public sealed record TableSearchInfo(IReadOnlyList<string> Files, string Objective, string? Report,
    IReadOnlyList<string> Costs, int Queries, double? SimulatedSeconds);

public sealed record RankedArchitecture(string Arch, double ValAcc, long? Params);
