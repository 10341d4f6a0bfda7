using System.Globalization;
using System.Text.Json.Nodes;
using Nascent.Analysis;
using Nascent.Experiments.Execution;
using Nascent.Spaces;
using Nascent.Strategies;
using Nascent.Tests.Cli;
using Nascent.Tests.Data;

namespace Nascent.Tests.Analysis;

/// <summary>`nascent analyze ranking` on a tiny real search (MNIST excerpt, one supernet epoch).</summary>
public sealed class RankingAnalysisTests(MnistExcerpt mnist) : IClassFixture<MnistExcerpt>
{
    [Fact]
    public void The_top_overlap_counts_the_shared_best_cells()
    {
        double[] x = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], y = [9, 10, 1, 2, 3, 4, 5, 6, 7, 8];
        Assert.Equal(1.0, RankingAnalysis.TopOverlap(x, y, 0.2));   // both top-2 sets are cells 0 and 1
        Assert.Equal(0.5, RankingAnalysis.TopOverlap(x, y, 0.4));   // {0,1,2,3} against {0,1,9,8}
        Assert.Equal(0.0, RankingAnalysis.TopOverlap(x, x.Select(v => -v).ToArray(), 0.1));
    }

    /// <summary>The truth here is the search's own ranking-phase scores: the analysis must restore the very supernet
    /// and images the search ranked with, so τ, ρ and the overlap are exactly 1; the negated scores give -1.</summary>
    [Fact]
    public void Analyze_ranking_restores_the_searched_supernet_and_scores_its_cells_as_the_search_did()
    {
        using var temp = new TempFolder();
        string run = Path.Combine(temp.Path, "run");
        var (code, _, errors) = NascentCli.Run("search", "--data-dir", mnist.DataDirectory, "--train-subset", "600", "--validation-size", "400",
            "--candidates", "12", "--ranking-images", "200", "--ranking-rungs", "1", "--final-top", "2", "--channels", "4", "--epochs", "1",
            "--seed", "5", "--out", run, "--quiet"); // one rung: every candidate scored once, on the images the analysis uses
        Assert.True(code == 0, errors);
        List<Trial> ranked;
        using (var store = new TrialStore(Path.Combine(run, TrialStore.FileName)))
            ranked = store.Load(Nb201Space.Instance).Where(t => t.Phase == TrialPhase.Rank && t.Status == TrialStatus.Done).ToList();
        Assert.True(ranked.Select(t => t.Measured.Accuracy).Distinct().Count() >= 4, "the tiny supernet must tell cells apart");
        string Table(string name, int sign) => TableFile(temp.Path, name,
            ranked.Select(t => (t.Architecture.ToString(), sign * t.Measured.Accuracy)));

        (code, var output, errors) = NascentCli.Run("analyze", "ranking", "--run", run, "--truth", Table("truth.csv", 1),
            "--column", "truth", "--cells", "0", "--bootstrap", "200", "--quiet");
        Assert.True(code == 0, errors);
        var truth = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "result.json")))!["truth"]!;
        Assert.Equal(ranked.Count, (int)truth["cells"]!);
        Assert.Equal(1.0, (double)truth["kendall"]!["value"]!, 12);
        Assert.Equal(1.0, (double)truth["spearman"]!["value"]!, 12);
        Assert.Equal(1.0, (double)truth["top_overlap"]!["value"]!, 12);
        string returned = (string)JsonNode.Parse(File.ReadAllText(Path.Combine(run, "result.json")))!["best"]!["arch"]!;
        double? expected = ranked.FirstOrDefault(t => t.Architecture.ToString() == returned)?.Measured.Accuracy;
        Assert.Equal(expected, (double?)truth["returned_truth"]);
        Assert.Contains("Kendall tau-b 1.000", output);
        Assert.Equal(ranked.Count + 1, File.ReadAllLines(Path.Combine(run, "ranking.csv")).Length);
        Assert.Contains("Supernet ranking against the truth", File.ReadAllText(Path.Combine(run, "report.html")));

        (code, _, errors) = NascentCli.Run("analyze", "ranking", "--run", run, "--truth", Table("negated.csv", -1),
            "--column", "truth", "--cells", "0", "--bootstrap", "50", "--quiet");
        Assert.True(code == 0, errors);
        Assert.Equal(-1.0, (double)JsonNode.Parse(File.ReadAllText(Path.Combine(run, "result.json")))!["truth"]!["kendall"]!["value"]!, 12);
    }

    [Fact]
    public void Analyze_ranking_refuses_a_missing_run_and_a_missing_column_in_one_line()
    {
        using var temp = new TempFolder();
        string table = TableFile(temp.Path, "t.csv", [("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", 1.0)]);
        var (code, _, errors) = NascentCli.Run("analyze", "ranking", "--run", Path.Combine(temp.Path, "nothing"), "--truth", table, "--column", "truth");
        Assert.Equal(2, code);
        Assert.Single(errors.Trim().Split('\n'));
        (code, _, errors) = NascentCli.Run("analyze", "ranking", "--run", temp.Path, "--truth", table);
        Assert.Equal(2, code);
        Assert.Contains("--column", errors);
        // A search with no supernet (a table lookup) is refused by name.
        string tabular = Path.Combine(temp.Path, "tabular");
        var search = NascentCli.Run("search", "--table", Nascent.Tests.Tabular.TableFiles.WriteSynthetic(temp.Path), "--objective", "score",
            "--queries", "5", "--out", tabular, "--quiet");
        Assert.True(search.ExitCode == 0, search.Errors);
        (code, _, errors) = NascentCli.Run("analyze", "ranking", "--run", tabular, "--truth", table, "--column", "truth");
        Assert.Equal(2, code);
        Assert.Single(errors.Trim().Split('\n'));
        Assert.Contains("weight-sharing", errors);
    }

    private static string TableFile(string folder, string name, IEnumerable<(string Arch, double Truth)> rows)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllLines(path, rows.Select(r => $"{r.Arch},{r.Truth.ToString("R", CultureInfo.InvariantCulture)}").Prepend("arch,truth"));
        return path;
    }
}
