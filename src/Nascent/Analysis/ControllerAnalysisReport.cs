using Nascent.Plots;

namespace Nascent.Analysis;

/// <summary>
/// Writes a <see cref="ControllerAnalysisResult"/> into a directory (analysis.json, analysis.csv, prefix.csv,
/// steps.csv, samples.csv, pairs.csv, two scatter plots; docs/RESULTS.md) and formats its compact console table.
/// </summary>
public static class ControllerAnalysisReport
{
    public static readonly IReadOnlyList<string> Figures = ["scatter_cosine_wl.png", "scatter_cosine_ged.png"];

    /// <summary>Writes every file; returns their names.</summary>
    public static IReadOnlyList<string> Write(ControllerAnalysisResult result, RunDirectory directory)
    {
        directory.WriteJson("analysis.json", result);
        WriteCsv(directory.File("analysis.csv"),
            "hidden_metric,graph_metric,pearson,pearson_low,pearson_high,spearman,spearman_low,spearman_high,n",
            result.Correlations.Select(c => Row(c.HiddenMetric, c.GraphMetric, c.Pearson.Value, c.Pearson.Low, c.Pearson.High,
                c.Spearman.Value, c.Spearman.Low, c.Spearman.High, c.Pearson.Count)));
        WriteCsv(directory.File("prefix.csv"),
            "fraction,prefix_length,graph_metric,conditioned,unconditioned,difference,uniform_continuation,excess_over_uniform,groups,samples_per_group",
            result.Prefix.Select(p => Row(p.Fraction, p.PrefixLength, p.GraphMetric, p.Conditioned, p.Unconditioned, p.Difference,
                p.UniformContinuation, p.ExcessOverUniform, p.Groups, p.SamplesPerGroup)));
        WriteCsv(directory.File("steps.csv"), "step,decision,graph_metric,pearson,spearman,n",
            result.Steps.Select(s => Row(s.Step, Quote(s.Decision), s.GraphMetric, s.Pearson, s.Spearman, s.Count)));
        WriteCsv(directory.File("samples.csv"), "sample,arch",
            result.SampleArchitectures.Select((arch, i) => Row(i, Quote(arch))));
        WriteCsv(directory.File("pairs.csv"),
            "first,second,cosine_final,euclidean_final,cosine_mean,euclidean_mean,ged,ged_exact,jaccard,wl",
            result.PairMeasurements.Select(p => Row(p.First, p.Second, p.CosineFinal, p.EuclideanFinal, p.CosineMean,
                p.EuclideanMean, p.Ged, p.GedExact ? "true" : "false", p.Jaccard, p.Wl)));
        var pairs = result.PairMeasurements;
        var cosine = pairs.Select(p => p.CosineFinal).ToArray();
        string name = $"{result.Strategy} on {result.Space}";
        PairScatterPlot.Write(directory.File(Figures[0]), cosine, pairs.Select(p => p.Wl).ToArray(),
            $"{name}: hidden-state cosine vs Weisfeiler-Lehman kernel", "cosine similarity of the final hidden states",
            $"WL subtree kernel (h = {result.WlIterations}, normalised)");
        PairScatterPlot.Write(directory.File(Figures[1]), cosine, pairs.Select(p => (double)p.Ged).ToArray(),
            $"{name}: hidden-state cosine vs graph edit distance", "cosine similarity of the final hidden states",
            $"graph edit distance ({Percent(result.GedExactFraction)} exact)");
        return ["analysis.json", "analysis.csv", "prefix.csv", "steps.csv", "samples.csv", "pairs.csv", .. Figures];
    }

    /// <summary>The console summary: the correlation table, experiment (a), and the strongest per-step correlation.</summary>
    public static string FormatTable(ControllerAnalysisResult r)
    {
        var s = new StringBuilder();
        s.AppendLine($"controller analysis: {r.Strategy} on {r.Space} ({r.ControllerUpdates} controller updates), " +
            $"{r.Samples} samples ({r.DistinctArchitectures} distinct), {r.Pairs} pairs, GED exact for {Percent(r.GedExactFraction)}");
        s.AppendLine();
        s.AppendLine($"{"hidden",-16}{"graph",-9}{"pearson [95% CI]",-27}{"spearman [95% CI]",-27}n");
        foreach (var c in r.Correlations)
            s.AppendLine($"{c.HiddenMetric,-16}{c.GraphMetric,-9}{Estimate(c.Pearson),-27}{Estimate(c.Spearman),-27}{c.Pearson.Count}");
        s.AppendLine();
        s.AppendLine("(a) mean pairwise value within groups sampled from one hidden state (fixed prefix) vs unconditioned samples");
        s.AppendLine($"{"prefix",-10}{"graph",-9}{"conditioned",12}{"unconditioned",15}{"difference",12}{"uniform rest",14}");
        foreach (var p in r.Prefix)
            s.AppendLine($"{$"{p.PrefixLength}/{r.Decisions}",-10}{p.GraphMetric,-9}{N(p.Conditioned),12}{N(p.Unconditioned),15}" +
                $"{N(p.Difference),12}{N(p.UniformContinuation),14}");
        s.AppendLine();
        foreach (var graph in ControllerAnalysisResult.GraphMetrics)
        {
            var best = r.Steps.Where(x => x.GraphMetric == graph && !double.IsNaN(x.Spearman)).MaxBy(x => Math.Abs(x.Spearman));
            if (best is not null)
                s.AppendLine($"per step, cosine vs {graph}: strongest Spearman {N(best.Spearman)} at step {best.Step} ({best.Decision})");
        }
        return s.ToString();
    }

    /// <summary>Writes the variants' comparison: result.json (every variant's search outcome and whole analysis) and
    /// variants.csv (every correlation, one row per variant and metric pair); returns the file names.</summary>
    public static IReadOnlyList<string> WriteVariants(ControllerVariantsResult result, RunDirectory directory)
    {
        directory.WriteJson("result.json", result);
        WriteCsv(directory.File("variants.csv"),
            "variant,aux_weight,hidden_metric,graph_metric,pearson,pearson_low,pearson_high,spearman,spearman_low,spearman_high,n",
            result.Variants.SelectMany(v => v.Analysis.Correlations.Select(c => Row(v.Variant, v.AuxiliaryWeight, c.HiddenMetric,
                c.GraphMetric, c.Pearson.Value, c.Pearson.Low, c.Pearson.High, c.Spearman.Value, c.Spearman.Low, c.Spearman.High,
                c.Pearson.Count))));
        return ["result.json", "variants.csv"];
    }

    /// <summary>The console summary of the variants: one column per variant, Spearman's ρ with its interval for the
    /// cosine of the final and mean hidden states against each graph metric, and experiment (a)'s excess over a
    /// uniform continuation.</summary>
    public static string FormatVariantsTable(ControllerVariantsResult r)
    {
        const int label = 26, column = 26;
        var s = new StringBuilder();
        s.AppendLine($"controller variants on {r.Space} (seed {r.Seed}): one search configuration, only the strategy and the decision-recovery loss changed");
        s.AppendLine();
        void Line(string name, Func<ControllerVariantResult, string> cell) =>
            s.AppendLine(name.PadRight(label) + string.Concat(r.Variants.Select(v => cell(v).PadRight(column))).TrimEnd());
        Line("", v => v.Variant);
        Line("decision-recovery weight", v => v.AuxiliaryWeight.ToString("0.###", CultureInfo.InvariantCulture));
        Line("best val acc (supernet)", v => v.BestValidationAccuracy.ToString("0.00", CultureInfo.InvariantCulture) + " %");
        Line("controller updates", v => v.Analysis.ControllerUpdates.ToString(CultureInfo.InvariantCulture));
        Line("distinct samples", v => $"{v.Analysis.DistinctArchitectures}/{v.Analysis.Samples}");
        s.AppendLine();
        s.AppendLine("Spearman [95% CI] over pairs, hidden-state metric vs graph metric");
        foreach (var hidden in new[] { "cosine_final", "cosine_mean" })
            foreach (var graph in ControllerAnalysisResult.GraphMetrics)
                Line($"{hidden} {graph}", v => Estimate(v.Analysis.Correlations.Single(c => c.HiddenMetric == hidden && c.GraphMetric == graph).Spearman));
        s.AppendLine();
        s.AppendLine("(a) excess over a uniform continuation: conditioned - uniform rest (wl, jaccard > 0 and ged < 0: the state adds similarity)");
        var first = r.Variants[0].Analysis;
        foreach (var p in first.Prefix)
            Line($"prefix {p.PrefixLength}/{first.Decisions} {p.GraphMetric}", v => N(v.Analysis.Prefix
                .Single(q => q.PrefixLength == p.PrefixLength && q.GraphMetric == p.GraphMetric).ExcessOverUniform));
        return s.ToString();
    }

    private static string Estimate(CorrelationEstimate e) => $"{N(e.Value)} [{N(e.Low)}, {N(e.High)}]";

    private static string N(double value) => double.IsNaN(value) ? "n/a" : value.ToString("+0.000;-0.000;0.000", CultureInfo.InvariantCulture);

    private static string Percent(double fraction) => (100 * fraction).ToString("0.#", CultureInfo.InvariantCulture) + " %";

    private static string Quote(string text) => text.Contains(',') || text.Contains('"') ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;

    /// <summary>A CSV row; numbers in invariant culture, shortest form that reads back exactly.</summary>
    private static string Row(params object[] cells) => string.Join(",", cells.Select(c => c switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => c.ToString(),
    }));

    private static void WriteCsv(string path, string header, IEnumerable<string> rows)
    {
        string temp = path + ".tmp";
        File.WriteAllLines(temp, rows.Prepend(header));
        File.Move(temp, path, overwrite: true);
    }
}
