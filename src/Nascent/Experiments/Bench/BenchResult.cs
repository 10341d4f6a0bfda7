namespace Nascent.Experiments.Bench;

/// <summary>
/// A bench run's result.json (schema in docs/TABULAR.md): per strategy, the best objective found (and its report
/// metric and costs) over seeds, the same at each checkpoint, the anytime curve, and each seed's run; then each
/// strategy against the baseline by Welch's t-test. Times in seconds.
/// </summary>
public sealed record BenchResult(
    string Command,
    IReadOnlyList<string> Tables,
    string Space,
    string Objective,
    string? Report,
    IReadOnlyList<string> Costs,
    int Queries,
    int Seeds,
    ulong FirstSeed,
    string Baseline,
    int Threads,
    double LoadSeconds,
    double SearchSeconds,
    double WallSeconds,
    IReadOnlyList<StrategySummary> Strategies,
    IReadOnlyList<BaselineComparison> Comparisons,
    string RunDirectory,
    IReadOnlyList<string> Figures,
    ParetoReference? Pareto = null);

/// <summary>How a multi-objective bench scores fronts: the objectives (the objective column, then the costs), the
/// reference point (the table's worst value of each), the whole table's Pareto front and its hypervolume, the
/// largest any run can reach.</summary>
public sealed record ParetoReference(IReadOnlyList<string> Objectives, IReadOnlyList<double> Point, int TableFrontSize,
    double TableHypervolume, double? Budget);

/// <summary>Mean and sample standard deviation over seeds.</summary>
public sealed record MeanStd(double Mean, double Std);

public sealed record StrategySummary(
    string Name,
    MeanStd BestObjective,
    MeanStd? BestReport,
    IReadOnlyDictionary<string, MeanStd>? BestCosts,
    IReadOnlyList<CheckpointSummary> Checkpoints,
    AnytimeCurve Anytime,
    IReadOnlyList<SeedRun> Runs,
    MeanStd? PredictorKendallTau = null,
    MeanStd? BestWithinBudget = null,
    int RunsWithinBudget = 0);

/// <summary>The incumbent (best objective so far) after <see cref="Queries"/> queries, over seeds; with costs, the
/// hypervolume of everything evaluated by then.</summary>
public sealed record CheckpointSummary(int Queries, MeanStd Objective, MeanStd? Report, MeanStd? Hypervolume = null);

/// <summary>Best-so-far after each query (index 0 = after the first query), mean and std over seeds: the objective,
/// and the report metric of the incumbent.</summary>
public sealed record AnytimeCurve(double[] ObjectiveMean, double[] ObjectiveStd, double[]? ReportMean, double[]? ReportStd);

/// <summary>One seed's run: its incumbent at the end, with cost columns the cost and objective of every trial in query order, and
/// for a strategy with a learned predictor (NAO, DPP-Net) its Kendall τ on held-out table rows at the end; with
/// costs, the hypervolume of everything it evaluated and, with a budget, the best objective within it (null when no
/// evaluated architecture keeps it).</summary>
public sealed record SeedRun(
    ulong Seed,
    int Queries,
    string BestArch,
    double BestObjective,
    double? BestReport,
    IReadOnlyDictionary<string, double>? BestCosts,
    double? SimulatedSeconds,
    IReadOnlyDictionary<string, double[]>? TrialCosts,
    double? PredictorKendallTau = null,
    double? Hypervolume = null,
    double? BestWithinBudget = null,
    double[]? TrialObjectives = null);

/// <summary>A strategy against the baseline at one checkpoint on one column: mean difference (strategy - baseline)
/// and Welch's two-sided p-value.</summary>
public sealed record BaselineComparison(string Strategy, string Baseline, int Queries, string Column,
    double Difference, double T, double DegreesOfFreedom, double PValue);
