using System.Net;
using System.Text.Json;
using Nascent.Experiments.Search;
using Nascent.Experiments.Train;
using Nascent.Plots;

namespace Nascent.Reports;

/// <summary>
/// <c>nascent report RUN_DIR</c>, also written at the end of every search: a self-contained report.html (styles
/// inline, cells as inline SVG, plots as PNG data URIs; no external URL, so it opens offline) with the outcome, the
/// best architectures and their cells, the search curve, the distribution of trial accuracies, the Pareto front of a
/// multi-objective run, the entropy a controller-based run recorded, and the configuration. The plots are also
/// written beside it (search_curve.png, accuracy_histogram.png, best_cell*.svg).
/// </summary>
public static class RunReport
{
    public const string FileName = "report.html";
    public const string CurveFigure = "search_curve.png";
    public const string HistogramFigure = "accuracy_histogram.png";
    private const int DrawnArchitectures = 3;

    /// <summary>Strategies that learn a distribution over architectures (a controller or PARSEC's π).</summary>

    /// <summary>Writes report.html and its figures into the run directory; returns the report's path.</summary>
    public static string Write(string runDirectory)
    {
        string Path(string name) => System.IO.Path.Combine(runDirectory, name);
        if (InstaNasReport.IsInstaNasRun(runDirectory)) return InstaNasReport.Write(runDirectory);
        var result = RunDirectory.ReadResult(runDirectory, "report");
        if (result.Space == LanguageModelTrainExperiment.LstmName || SpaceCatalog.IsRecurrent(result.Space))
            throw new NascentException($"{runDirectory} is a language-model run: its figures are in result.json (perplexities in best.costs) " +
                "and trials.db; report.html is written for image and tabular runs only.");
        var config = RunDirectory.ReadJson<JsonElement>(Path("config.json"));
        var space = RunDirectory.ReadSpace(runDirectory, result);
        var trials = LoadTrials(Path(TrialStore.FileName), space, runDirectory);

        var scored = trials.Where(t => t.Status == TrialStatus.Done && t.Metrics is not null && t.Phase != TrialPhase.Controller).ToList();
        var numbered = trials.Select((t, i) => (Number: i + 1, Trial: t)).Where(x => x.Trial.Status == TrialStatus.Done && x.Trial.Metrics is not null).ToList();
        var bestSoFar = new List<(int, double)>();
        double best = double.NegativeInfinity;
        foreach (var (number, trial) in numbered.Where(x => x.Trial.Phase != TrialPhase.Controller))
            bestSoFar.Add((number, best = Math.Max(best, trial.Measured.Accuracy)));
        SearchCurvePlot.Write(Path(CurveFigure), numbered.Select(x => (x.Number, x.Trial.Measured.Accuracy, x.Trial.Phase)).ToList(), bestSoFar);
        AccuracyHistogramPlot.Write(Path(HistogramFigure), scored.Select(t => t.Measured.Accuracy).ToList());

        var html = new StringBuilder();
        html.Append($"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <title>Nascent report: {E(result.Strategy)} on {E(result.Space)}</title>
            <style>{Style}</style></head><body>
            <h1>Nascent {E(result.Command)} run: {E(result.Strategy)} on {E(result.Space)}, {E(result.Dataset)}</h1>
            <p class="dir">{E(result.RunDirectory)}</p>
            """);
        Summary(html, result, trials);
        BestArchitectures(html, result, space, runDirectory);
        html.Append($"""
            <section id="search-curve"><h2>Search curve</h2>
            <p>Every trial's accuracy in the order the run made them ({trials.Count} trials, {trials.Count(t => t.Status == TrialStatus.Failed)} failed);
            the line is the best so far of the scored trials{(numbered.Any(x => x.Trial.Phase == TrialPhase.Controller) ? " (controller rewards on one minibatch are drawn but not scored)" : "")}.</p>
            {Image(Path(CurveFigure), "search curve")}</section>
            <section id="accuracy-distribution"><h2>Distribution of trial accuracies</h2>
            {Image(Path(HistogramFigure), "histogram of trial accuracies")}</section>
            """);
        if (result.Pareto is { } pareto) Pareto(html, pareto, Path(pareto.Figure));
        if (result.Truth is { } truth) Truth(html, truth);
        if (StrategyCatalog.Find(result.Strategy) is { LearnsDistribution: true } || File.Exists(Path(Parsec.EntropyPlotFile)))
            Entropy(html, Path(Parsec.EntropyPlotFile));
        Configuration(html, config);
        html.Append(CultureInfo.InvariantCulture, $"<footer>Written by nascent report, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.</footer>\n</body></html>\n");

        string target = Path(FileName);
        File.WriteAllText(target + ".tmp", html.ToString());
        File.Move(target + ".tmp", target, overwrite: true);
        return target;
    }

    private static List<Trial> LoadTrials(string path, SearchSpace space, string runDirectory)
    {
        if (!File.Exists(path)) throw new NascentException($"{runDirectory} has no trials ({TrialStore.FileName} is missing).");
        using var store = new TrialStore(path);
        var trials = store.Load(space).ToList();
        if (trials.Count == 0) throw new NascentException($"{runDirectory} has no trials ({TrialStore.FileName} is empty).");
        return trials;
    }

    /// <summary>`nascent analyze ranking`'s comparison of the supernet's ranking with a truth table.</summary>
    private static void Truth(StringBuilder html, RankingAnalysisResult truth)
    {
        static string Estimate(CorrelationEstimate e) => $"{Number(e.Value)} [{Number(e.Low)}, {Number(e.High)}]";
        html.Append("<section id=\"truth\"><h2>Supernet ranking against the truth</h2>");
        html.Append($"<p>{truth.Cells} cells of {E(truth.Truth)} (column {E(truth.Column)}) scored with the shared weights on " +
            $"{truth.RankingImages} validation images; bootstrap 95 % intervals over cells.</p><table class=\"kv\">");
        Row(html, "Kendall's τ-b", Estimate(truth.Kendall));
        Row(html, "Spearman's ρ", Estimate(truth.Spearman));
        Row(html, $"top {Number(100 * truth.TopFraction)} % overlap", Estimate(truth.TopOverlap));
        Row(html, "returned cell's true accuracy", truth.ReturnedTruth is { } t ? Number(t) + " %" : "not in the table");
        Row(html, "table's best, median", $"{Number(truth.TruthBest)} %, {Number(truth.TruthMedian)} %");
        html.Append("</table></section>\n");
    }

    private static void Summary(StringBuilder html, SearchResult result, List<Trial> trials)
    {
        var b = result.Best;
        html.Append("<section id=\"summary\"><h2>Outcome</h2><table class=\"kv\">");
        Row(html, "best architecture", $"<code>{E(b.Arch)}</code>");
        Row(html, "validation accuracy", Number(b.ValAcc) + " %");
        if (b.TestAcc is { } test) Row(html, "test accuracy", Number(test) + " %");
        if (b.Params > 0) Row(html, "parameters", b.Params.ToString("N0", CultureInfo.InvariantCulture));
        foreach (var (cost, value) in b.Costs ?? new Dictionary<string, double>()) Row(html, E(cost), Number(value));
        Row(html, "trials", $"{trials.Count} ({trials.Count(t => t.Status == TrialStatus.Failed)} failed)");
        Row(html, "seed", result.Seed.ToString(CultureInfo.InvariantCulture));
        Row(html, "wall time", Number(result.WallSeconds) + " s");
        html.Append("</table></section>\n");
    }

    internal static void Configuration(StringBuilder html, JsonElement config)
    {
        html.Append("<section id=\"configuration\"><h2>Configuration</h2><p>config.json, options left unset omitted.</p><table class=\"kv config\">");
        void Add(string name, JsonElement value)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Null:
                case JsonValueKind.Array when value.GetArrayLength() == 0:
                    return;
                case JsonValueKind.Object:
                    foreach (var p in value.EnumerateObject()) Add($"{name}.{p.Name}", p.Value);
                    return;
                case JsonValueKind.Array:
                    Row(html, E(name), E(string.Join(", ", value.EnumerateArray().Select(v => v.ToString()))));
                    return;
                default:
                    Row(html, E(name), E(value.ToString()));
                    return;
            }
        }
        foreach (var p in config.EnumerateObject()) Add(p.Name, p.Value);
        html.Append("</table></section>\n");
    }

    private static void BestArchitectures(StringBuilder html, SearchResult result, SearchSpace space, string runDirectory)
    {
        html.Append("<section id=\"best-architectures\"><h2>Best architectures</h2>");
        var top = result.Top.Count > 0 ? result.Top : [new RankedArchitecture(result.Best.Arch, result.Best.ValAcc, result.Best.Params)];
        for (int i = 0; i < Math.Min(DrawnArchitectures, top.Count); i++)
        {
            var architecture = space.Parse(top[i].Arch);
            html.Append(CultureInfo.InvariantCulture, $"<figure><figcaption><b>#{i + 1}</b> {Number(top[i].ValAcc)} %");
            if (top[i].Params is > 0) html.Append(CultureInfo.InvariantCulture, $", {top[i].Params:N0} parameters");
            html.Append($"<br><code>{E(top[i].Arch)}</code></figcaption><div class=\"cells\">");
            foreach (var cell in CellDiagram.Draw(architecture, $"arch{i + 1}"))
                html.Append($"<div><div class=\"celltitle\">{E(cell.Title)}</div>{cell.Svg}</div>");
            html.Append("</div></figure>");
        }
        if (top.Count > DrawnArchitectures)
        {
            html.Append("<table class=\"list\"><tr><th>#</th><th>validation accuracy (%)</th><th>architecture</th></tr>");
            for (int i = DrawnArchitectures; i < top.Count; i++)
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{i + 1}</td><td>{Number(top[i].ValAcc)}</td><td><code>{E(top[i].Arch)}</code></td></tr>");
            html.Append("</table>");
        }
        html.Append("</section>\n");
        var drawings = CellDiagram.Draw(space.Parse(result.Best.Arch), "best", standalone: true);
        foreach (var cell in drawings)
            File.WriteAllText(System.IO.Path.Combine(runDirectory, drawings.Count == 1 ? "best_cell.svg" : $"best_cell_{cell.Title.Split(' ')[0]}.svg"), cell.Svg);
    }

    private static void Pareto(StringBuilder html, ParetoSummary pareto, string figure)
    {
        html.Append("<section id=\"pareto\"><h2>Pareto front</h2>");
        html.Append($"<p>Accuracy against {E(string.Join(", ", pareto.Costs))}");
        if (pareto.Budget is { } budget)
            html.Append(CultureInfo.InvariantCulture, $"; budget {E(pareto.Costs[0])} ≤ {Number(budget)}, kept by {pareto.TrialsWithinBudget} architecture(s)");
        html.Append(".</p>");
        if (File.Exists(figure)) html.Append(Image(figure, "Pareto plot"));
        html.Append("<table class=\"list\"><tr><th>validation accuracy (%)</th>");
        foreach (var cost in pareto.Costs) html.Append($"<th>{E(cost)}</th>");
        html.Append("<th>architecture</th></tr>");
        foreach (var point in pareto.Front)
        {
            html.Append($"<tr><td>{Number(point.ValAcc)}</td>");
            foreach (var cost in pareto.Costs) html.Append($"<td>{Number(point.Costs[cost])}</td>");
            html.Append($"<td><code>{E(point.Arch)}</code></td></tr>");
        }
        html.Append("</table></section>\n");
    }

    private static void Entropy(StringBuilder html, string figure)
    {
        html.Append("<section id=\"entropy\"><h2>Entropy of the architecture distribution</h2>");
        html.Append(File.Exists(figure) ? Image(figure, "entropy over the search")
            : "<p>This run did not record its distribution's entropy over time (only parsec runs write entropy.png so far).</p>");
        html.Append("</section>\n");
    }

    internal static string Image(string path, string alt) =>
        $"<img src=\"data:image/png;base64,{Convert.ToBase64String(File.ReadAllBytes(path))}\" alt=\"{E(alt)}\">";

    private static void Row(StringBuilder html, string name, string value) => html.Append($"<tr><th>{name}</th><td>{value}</td></tr>");

    internal static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    internal static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    internal const string Style = """
        body{font-family:system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#222;line-height:1.4}
        h1{font-size:1.5em;margin-bottom:0}h2{border-bottom:1px solid #ccc;padding-bottom:2px;margin-top:1.6em}
        .dir{color:#666;font-size:.9em;margin-top:2px}code{font-size:.9em;word-break:break-all}
        table{border-collapse:collapse;font-size:.9em}th,td{padding:2px 10px 2px 0;text-align:left;vertical-align:top}
        table.kv th{font-weight:600;white-space:nowrap}
        table.config{display:grid;grid-template-columns:max-content minmax(0,1fr) max-content minmax(0,1fr);gap:0 8px}
        table.config td{word-break:break-all}
        table.config tbody,table.config tr{display:contents}
        table.list th{border-bottom:1px solid #ccc}table.list td{border-bottom:1px solid #eee}
        figure{margin:0 0 18px 0;border:1px solid #ddd;border-radius:6px;padding:10px}
        figcaption{margin-bottom:6px}.cells{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
        .cells>div{max-width:100%}.celltitle{font-size:.85em;color:#555}img,svg.cell{max-width:100%;height:auto}
        footer{margin-top:2em;color:#888;font-size:.8em}
        """;
}
