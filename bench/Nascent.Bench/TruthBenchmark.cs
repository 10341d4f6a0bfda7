using System.Text;
using Nascent.Analysis;
using Nascent.Core;
using Nascent.Data;
using Nascent.Experiments.Truth;

namespace Nascent.Bench;

/// <summary>`truth`: builds (or resumes) the MNIST truth table of NAS-Bench-201 cells (<see cref="TruthTable"/>) and
/// reports the recipe, the agreement of the two training seeds, the spread of accuracies and the machine time.</summary>
internal static class TruthBenchmark
{
    public const string DefaultTable = "bench/truth/nb201-mnist.csv";

    public static string Run(string table, TruthRecipe recipe, int shard, int shards)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(table))!);
        using var data = DatasetLoader.Load(TruthTable.DataFor(recipe, DataDirectories.Resolve(null)), new ConsoleProgress());
        var summary = TruthTable.Build(table, recipe, data, shard, shards, new ConsoleProgress());
        var means = summary.Runs.GroupBy(r => r.Arch).Where(g => g.Count() == recipe.Seeds).Select(g => g.Average(r => r.TestAccuracy)).ToArray();
        var perRun = summary.Runs.Select(r => r.CpuSeconds).ToArray();
        var text = new StringBuilder();
        text.AppendLine($"Table `{table}`: {summary.CellsDone} of {recipe.Cells} NAS-Bench-201 isomorphism classes, {recipe.Seeds} training seeds each (draw seed {recipe.SampleSeed}).");
        text.AppendLine($"Recipe: C = {recipe.Channels}, {recipe.CellsPerStage} cell per stage, {recipe.TrainImages:N0} MNIST training images, {recipe.Epochs} epoch(s), batch {recipe.BatchSize}, SGD as `nascent train`; scored on the 10,000 test images.");
        text.AppendLine();
        text.AppendLine("| measure | value |");
        text.AppendLine("|---|---|");
        if (summary.SeedSpearman is { } rho)
            text.AppendLine($"| Spearman ρ, seed 0 against seed 1 (95 % bootstrap) | {rho.Value:F3} [{rho.Low:F3}, {rho.High:F3}] |");
        if (means.Length > 0)
            text.AppendLine($"| test accuracy of the seeds' mean: min / median / max | {means.Min():F2} / {Statistics.Median(means):F2} / {means.Max():F2} % |");
        if (perRun.Length > 0)
        {
            text.AppendLine($"| runs | {perRun.Length} |");
            text.AppendLine($"| CPU time per run, median | {Statistics.Median(perRun):F1} s |");
            text.AppendLine($"| CPU time, all runs | {summary.CpuSeconds / 3600:F2} h |");
            text.AppendLine($"| wall time, all runs | {summary.WallSeconds / 3600:F2} h |");
        }
        return text.ToString();
    }
}
