using System.Text.RegularExpressions;
using System.Xml.Linq;
using Nascent.Analysis;
using Nascent.Core;
using Nascent.Experiments;
using Nascent.Reports;
using Nascent.Spaces;
using Nascent.Strategies;
using Nascent.Tests.Data;
using Nascent.Tests.Tabular;
using Nascent.Experiments.Execution;
using Nascent.Experiments.Search;
using Nascent.Plots;

namespace Nascent.Tests.Reports;

public sealed class RunReportTests(SyntheticTable table) : IClassFixture<SyntheticTable>, IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static readonly string[] Results = ["summary", "best-architectures", "search-curve", "accuracy-distribution"];

    private static string[] Sections(string html) =>
        Regex.Matches(html, "<section id=\"([a-z-]+)\"").Select(m => m.Groups[1].Value).ToArray();

    /// <summary>Nothing in the page is fetched: no URL with a scheme or a host, every image inline.</summary>
    private static void AssertSelfContained(string html)
    {
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotMatch(@"(src|href)\s*=\s*[""']?//", html);
        Assert.DoesNotContain("url(//", html);
        Assert.All(Regex.Matches(html, @"\bsrc=""([^""]*)""").Select(m => m.Groups[1].Value),
            src => Assert.StartsWith("data:image/png;base64,", src));
        Assert.DoesNotMatch(@"<(link|script|iframe)\b", html);
    }

    [Fact]
    public void A_multi_objective_search_writes_a_self_contained_report_with_every_section()
    {
        string run = Path.Combine(_temp.Path, "monas");
        var (code, _, errors) = Cli.NascentCli.Run("search", "--table", table.Path, "--objective", "score", "--cost", "cost",
            "--strategy", "monas", "--queries", "40", "--seed", "2", "--out", run, "--quiet");
        Assert.True(code == 0, errors);

        string html = File.ReadAllText(Path.Combine(run, RunReport.FileName));
        Assert.Equal([.. Results, "pareto", "entropy", "configuration"], Sections(html));
        AssertSelfContained(html);
        var result = RunDirectory.ReadJson<SearchResult>(Path.Combine(run, "result.json"));
        Assert.All(result.Top, t => Assert.Contains(t.Arch, html));
        Assert.All(result.Pareto!.Front, p => Assert.Contains(p.Arch, html));
        Assert.Contains("monas", html);
        Assert.Equal(3, Regex.Matches(html, "<svg class=\"cell\"").Count); // the three best drawn
        Assert.Equal(3, Regex.Matches(html, "<img ").Count); // curve, histogram, Pareto plot; monas records no entropy
        Assert.Contains("did not record", html);
        foreach (var figure in new[] { RunReport.CurveFigure, RunReport.HistogramFigure })
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(run, figure)).Take(4));
        XDocument.Parse(File.ReadAllText(Path.Combine(run, "best_cell.svg"))); // a well-formed standalone SVG
    }

    [Fact]
    public void A_report_written_from_trials_counts_failures_and_embeds_the_entropy_a_parsec_run_recorded()
    {
        string run = Path.Combine(_temp.Path, "parsec");
        RunFiles.WriteSearch(run, Nb201Space.Instance, "parsec", [40, double.NaN, 55.5, 61.25, 12]);
        EntropyPlot.Write(Path.Combine(run, Parsec.EntropyPlotFile),
            [new ParsecHistoryPoint(1, 9.6, null, null), new ParsecHistoryPoint(2, 9.1, null, null)], 9.66);

        string html = File.ReadAllText(RunReport.Write(run));
        Assert.Equal([.. Results, "entropy", "configuration"], Sections(html));
        AssertSelfContained(html);
        Assert.Contains("5 (1 failed)", html);
        Assert.Contains("61.25 %", html);
        var entropy = html[html.IndexOf("<section id=\"entropy\"", StringComparison.Ordinal)..];
        Assert.Contains("<img src=\"data:image/png;base64,", entropy);
    }

    [Fact]
    public void A_search_without_costs_or_a_controller_has_neither_pareto_nor_entropy_section()
    {
        string run = Path.Combine(_temp.Path, "rs");
        RunFiles.WriteSearch(run, Nb201Space.Instance, "rs", [10, 20, 30]);
        Assert.Equal([.. Results, "configuration"], Sections(File.ReadAllText(RunReport.Write(run))));
    }

    [Fact]
    public void Each_nb201_operation_that_is_not_none_is_one_labelled_edge_between_the_cells_nodes()
    {
        var architecture = Nb201Space.Instance.Parse("|nor_conv_3x3~0|+|skip_connect~0|none~1|+|avg_pool_3x3~0|nor_conv_1x1~1|nor_conv_3x3~2|");
        var cell = Assert.Single(CellDiagram.Draw(architecture, "a", standalone: true));
        var svg = XDocument.Parse(cell.Svg).Root!;
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(["input", "add", "add", "output"], svg.Descendants(ns + "rect").Where(r => r.Attribute("class")?.Value == "node").Select(r => ((XElement)r.NextNode!).Value));
        var edgeLabels = svg.Descendants(ns + "text").Where(t => t.Attribute("class")?.Value == "op").Select(t => t.Value).Order();
        Assert.Equal(new[] { "avg_pool_3x3", "nor_conv_1x1", "nor_conv_3x3", "nor_conv_3x3", "skip_connect" }, edgeLabels);
        Assert.Equal(5, svg.Descendants(ns + "path").Count(p => p.Attribute("marker-end") is not null));
    }

    [Fact]
    public void An_enas_micro_architecture_draws_its_normal_and_reduction_cells_with_two_operations_per_node()
    {
        var space = new EnasMicroSpace(3);
        var architecture = space.Sample(new SeededRandom(4));
        var cells = CellDiagram.Draw(architecture, "b", standalone: true);
        Assert.Equal(["normal cell", "reduce cell"], cells.Select(c => c.Title));
        XNamespace ns = "http://www.w3.org/2000/svg";
        for (int c = 0; c < 2; c++)
        {
            var svg = XDocument.Parse(cells[c].Svg).Root!;
            var boxes = svg.Descendants(ns + "rect").Where(r => r.Attribute("class")?.Value == "node").Select(r => ((XElement)r.NextNode!).Value).ToList();
            Assert.Equal(["input0", "input1", "add", "add", "add", "concat"], boxes);
            var expected = Enumerable.Range(0, 3).SelectMany(b => { var n = space.Node(architecture, c, b); return new[] { n.OpA, n.OpB }; })
                .Select(o => EnasMicroSpace.Operations[o]).Order();
            Assert.Equal(expected, svg.Descendants(ns + "text").Where(t => t.Attribute("class")?.Value == "op").Select(t => t.Value).Order());
        }
    }

    [Fact]
    public void A_run_without_trials_is_one_line_and_exit_code_2_on_the_command_line()
    {
        string run = Path.Combine(_temp.Path, "no-trials");
        RunFiles.WriteSearch(run, Nb201Space.Instance, "rs", [10]);
        File.Delete(Path.Combine(run, TrialStore.FileName));
        var (code, output, errors) = Cli.NascentCli.Run("report", run);
        Assert.Equal(2, code);
        Assert.Equal($"nascent: {run} has no trials ({TrialStore.FileName} is missing).", errors.Trim());
        Assert.Equal("", output);
    }

    [Fact]
    public void A_missing_run_or_a_run_without_trials_is_a_clear_error()
    {
        var missing = Assert.Throws<NascentException>(() => RunReport.Write(Path.Combine(_temp.Path, "nowhere")));
        Assert.Contains("not found", missing.Message);

        string run = Path.Combine(_temp.Path, "empty");
        RunFiles.WriteSearch(run, Nb201Space.Instance, "rs", [10]);
        File.Delete(Path.Combine(run, TrialStore.FileName));
        Assert.Contains("has no trials", Assert.Throws<NascentException>(() => RunReport.Write(run)).Message);
        new TrialStore(Path.Combine(run, TrialStore.FileName)).Dispose(); // an empty store
        Assert.Contains("has no trials", Assert.Throws<NascentException>(() => RunReport.Write(run)).Message);
    }
}
