using Nascent.Experiments.Search;

namespace Nascent.Cli;

/// <summary>What search and train print when they end: the best architecture and where the run went.</summary>
internal static class Summaries
{
    public static void WriteSearch(SearchConfig config, SearchResult result, TextWriter output)
    {
        output.WriteLine($"best architecture: {result.Best.Arch}");
        if (result.Table is { } table)
        {
            output.WriteLine($"{table.Objective} (objective): {Number(result.Best.ValAcc)}");
            if (table.Report is not null) output.WriteLine($"{table.Report} (report): {Number(result.Best.TestAcc ?? double.NaN)}");
            foreach (var (column, value) in result.Best.Costs ?? new Dictionary<string, double>())
                output.WriteLine($"{column} (cost): {Number(value)}");
            output.WriteLine($"queries: {table.Queries} on {result.Dataset["table:".Length..]} in {result.WallSeconds:F2} s" +
                (table.SimulatedSeconds is { } sim ? $" ({sim:F0} s of simulated training)" : ""));
            WritePareto(result, output);
            output.WriteLine($"run written to: {result.RunDirectory}{(config.Store is null ? " (report.html)" : $" (trials in {config.Store})")}");
            return;
        }
        string how = config.IsWeightSharing ? "shared weights" : $"trained {config.Training.Epochs} epoch(s) from scratch";
        if (config.IsLanguageModel)
        {
            output.WriteLine($"validation perplexity: {Number(result.Best.Costs!["validation_perplexity"])} ({how}; objective 80/ppl = {Number(result.Best.ValAcc / 100)})");
            output.WriteLine($"parameters: {result.Best.Params:N0}");
            output.WriteLine($"trials: {result.Trials} ({result.FailedTrials} failed) in {result.WallSeconds:F1} s");
            output.WriteLine($"run written to: {result.RunDirectory}");
            output.WriteLine($"train it: nascent train --from {result.RunDirectory}");
            return;
        }
        output.WriteLine($"validation accuracy: {Percent(result.Best.ValAcc)} ({how})");
        output.WriteLine($"parameters: {result.Best.Params:N0}");
        foreach (var (cost, value) in result.Best.Costs ?? new Dictionary<string, double>())
            output.WriteLine($"{cost} (cost): {Number(value)}");
        WritePareto(result, output);
        output.WriteLine($"trials: {result.Trials} ({result.FailedTrials} failed) in {result.WallSeconds:F1} s");
        output.WriteLine($"run written to: {result.RunDirectory}{(config.Store is null ? " (report.html)" : $" (trials in {config.Store})")}");
        output.WriteLine($"train it: nascent train --from {result.RunDirectory}");
    }

    public static void WritePareto(SearchResult result, TextWriter output)
    {
        if (result.Pareto is not { } pareto) return;
        if (pareto.Budget is { } budget)
            output.WriteLine(pareto.BestWithinBudget
                ? $"budget: {pareto.Costs[0]} <= {Number(budget)}, kept by {pareto.TrialsWithinBudget} evaluated architecture(s); the best of them is returned"
                : $"budget: {pareto.Costs[0]} <= {Number(budget)}, kept by no evaluated architecture; the cheapest is returned");
        output.WriteLine($"Pareto front: {pareto.Front.Count} architecture(s) of accuracy against {string.Join(", ", pareto.Costs)} " +
            $"(result.json; plot {pareto.Figure})");
    }

    public static void WriteTrain(SearchResult result, TextWriter output)
    {
        if (result.Best.Costs?.ContainsKey("test_perplexity") == true)
        {
            var c = result.Best.Costs;
            output.WriteLine($"model: {result.Best.Arch}");
            output.WriteLine($"test perplexity: {Number(c["test_perplexity"])}");
            output.WriteLine($"validation perplexity: {Number(c["validation_perplexity"])}");
            output.WriteLine($"parameters: {result.Best.Params:N0}");
            output.WriteLine($"training throughput: {c["tokens_per_second"]:F0} tokens/s");
            output.WriteLine($"time: {result.WallSeconds:F1} s");
            output.WriteLine($"run written to: {result.RunDirectory}");
            return;
        }
        output.WriteLine($"architecture: {result.Best.Arch}");
        output.WriteLine($"test accuracy: {Percent(result.Best.TestAcc ?? double.NaN)}");
        output.WriteLine($"validation accuracy: {Percent(result.Best.ValAcc)}");
        output.WriteLine($"parameters: {result.Best.Params:N0}");
        foreach (var (cost, value) in result.Best.Costs ?? new Dictionary<string, double>())
            output.WriteLine($"{cost} (cost): {Number(value)}");
        WritePareto(result, output);
        output.WriteLine($"time: {result.WallSeconds:F1} s");
        output.WriteLine($"run written to: {result.RunDirectory}");
    }

    public static string Percent(double value) => value.ToString("F2", CultureInfo.InvariantCulture) + " %";

    public static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
