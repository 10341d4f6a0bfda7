using System.Text.Json;
using Nascent.Experiments.InstaNasSearch;

namespace Nascent.Reports;

/// <summary>
/// The report.html of an InstaNAS run (<c>nascent report RUN_DIR</c> on a <c>nascent search --strategy instanas</c> run,
/// also written at its end): the compared networks (accuracy, measured latency with its spread across the interleaved
/// timing rounds, the table's prediction), InstaNAS against each (a cut is called a difference only beyond the
/// spread), and its instance awareness: how many distinct selections the controller makes on the test set, which
/// modules each class's images run (module_usage.png) and the histogram of per-image latencies (latency_histogram.png);
/// then the search curve (instanas_curve.csv) and the configuration.
/// </summary>
public static class InstaNasReport
{
    /// <summary>Whether the run directory holds an InstaNAS search (its result.json has InstaNAS's figures).</summary>
    public static bool IsInstaNasRun(string runDirectory)
    {
        string file = Path.Combine(runDirectory, "result.json");
        if (!File.Exists(file)) return false;
        using var document = JsonDocument.Parse(File.ReadAllText(file));
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("insta_nas", out _);
    }

    public static string Write(string runDirectory)
    {
        string File(string name) => Path.Combine(runDirectory, name);
        var result = RunDirectory.ReadJson<InstaNasResult>(File("result.json"));
        var config = RunDirectory.ReadJson<JsonElement>(File("config.json"));
        var networks = new[] { result.Full, result.Fixed, result.MobileNetV2, result.InstaNas }.OfType<InstaNasFigures>().ToArray();
        var html = new StringBuilder();
        html.Append($"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <title>Nascent report: instanas on {RunReport.E(result.Dataset)}</title>
            <style>{RunReport.Style}</style></head><body>
            <h1>Nascent search run: instanas (per-image selection) on {RunReport.E(result.Dataset)}</h1>
            <p class="dir">{RunReport.E(result.RunDirectory)}</p>
            <section id="networks"><h2>Networks compared</h2>
            <p>Test accuracy, and latency measured image by image at batch 1 ({networks[0].TimedImages} test images,
            {result.Threads} thread(s)), all networks timed together, interleaved image by image, over
            {networks[0].RoundMeansMs?.Length ?? 1} rounds; spread = largest minus smallest round mean.</p>
            <table><tr><th>network</th><th>test accuracy %</th><th>mean ms</th><th>spread ms</th><th>median ms</th><th>p90 ms</th><th>table ms</th><th>selection</th></tr>
            """);
        foreach (var f in networks)
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{RunReport.E(f.Name)}</td><td>{f.TestAccuracy:F2}</td><td>{f.MeanLatencyMs:F3}</td><td>{f.SpreadMs:F3}</td>" +
                $"<td>{f.MedianLatencyMs:F3}</td><td>{f.P90LatencyMs:F3}</td><td>{f.PredictedLatencyMs:F3}</td>" +
                $"<td><code>{RunReport.E(f.Selection ?? $"per image ({f.DistinctSelections} distinct)")}</code></td></tr>");
        html.Append("</table>");
        if (result.Comparisons is { } comparisons)
        {
            html.Append("<h3>InstaNAS against each</h3><table><tr><th>against</th><th>latency cut %</th><th>accuracy change (points)</th><th>beyond the timing's spread</th></tr>");
            foreach (var c in comparisons)
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{RunReport.E(c.Against)}</td><td>{c.LatencyCutPercent:F1}</td><td>{c.AccuracyChangePoints:+0.00;-0.00}</td>" +
                    $"<td>{(c.LatencyDiffers ? "yes: a difference" : "no: within the noise")}</td></tr>");
            html.Append(CultureInfo.InvariantCulture, $"</table><p>Target (at least 30 % less measured latency than the MobileNetV2-like network, beyond the spread, " +
                $"at most 0.5 points lost): <b>{(result.TargetMet ? "met" : "not met")}</b>.</p>");
        }
        html.Append(CultureInfo.InvariantCulture, $"""
            </section>
            <section id="instance-awareness"><h2>Instance awareness</h2>
            <p>The controller's thresholded policies make <b>{result.InstaNas.DistinctSelections}</b> distinct selections on the
            {RunReport.E(result.Dataset)} test set. Per class, the fraction of its images that run each module of each block:</p>
            {Figure(File(InstaNasExperiment.ModuleUsageFile), "module use per class")}
            <p>Measured latency per image (controller included), with the compared networks' means:</p>
            {Figure(File(InstaNasExperiment.LatencyHistogramFile), "histogram of per-image latencies")}
            </section>
            """);
        if (System.IO.File.Exists(File(InstaNasExperiment.CurveFile)))
        {
            var lines = System.IO.File.ReadAllLines(File(InstaNasExperiment.CurveFile));
            html.Append("<section id=\"search-curve\"><h2>Search curve</h2><p>instanas_curve.csv, one row per search epoch.</p><table>");
            foreach (var (line, k) in lines.Select((l, k) => (l, k)))
                html.Append("<tr>" + string.Concat(line.Split(',').Select(cell => k == 0 ? $"<th>{RunReport.E(cell)}</th>" : $"<td>{RunReport.E(Cell(cell))}</td>")) + "</tr>");
            html.Append("</table></section>");
        }
        RunReport.Configuration(html, config);
        html.Append(CultureInfo.InvariantCulture, $"<footer>Written by nascent report, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.</footer>\n</body></html>\n");
        string target = File(RunReport.FileName);
        System.IO.File.WriteAllText(target + ".tmp", html.ToString());
        System.IO.File.Move(target + ".tmp", target, overwrite: true);
        return target;
    }

    private static string Figure(string path, string alt) => System.IO.File.Exists(path) ? RunReport.Image(path, alt) : $"<p>({RunReport.E(Path.GetFileName(path))} missing)</p>";

    private static string Cell(string cell) =>
        double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? RunReport.Number(value) : cell;
}
