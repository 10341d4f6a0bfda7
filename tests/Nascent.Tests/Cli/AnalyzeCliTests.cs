using Nascent.Experiments;
using Nascent.Strategies;
using Nascent.Tests.Data;
using Nascent.Experiments.Execution;
using Nascent.Experiments.Search;

namespace Nascent.Tests.Cli;

public sealed class AnalyzeCliTests
{
    [Fact]
    public void A_run_without_strategy_json_exits_2_with_one_clear_line()
    {
        using var folder = new TempFolder();
        RunDirectory.Create(folder.Path, "search").WriteJson("config.json", new SearchConfig { Strategy = "enas" });
        NascentCli.AssertOneLineError("has no strategy.json", "analyze", "controller", "--run", folder.Path);
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "analysis"))); // nothing written for a failed analysis
    }

    [Fact]
    public void Analyze_controller_writes_the_table_the_csv_files_and_the_plots()
    {
        using var folder = new TempFolder();
        var config = new SearchConfig { Strategy = "enas", Space = "nb201", StrategyOptions = new ControllerOptions { LstmSize = 16 } };
        var run = RunDirectory.Create(folder.Path, "search");
        run.WriteJson("config.json", config);
        using (var enas = (Enas)config.Descriptor.Create(new StrategyContext(config.CreateSpace(), 0), config.Options()))
            run.WriteJson(SearchExperiment.StrategyStateFile, enas.ExportState());
        var (code, output, errors) = NascentCli.Run("analyze", "controller", "--run", folder.Path, "--samples", "30",
            "--pairs", "100", "--prefix-samples", "5", "--bootstrap", "50", "--quiet");
        Assert.True(code == 0, errors);
        Assert.Contains("cosine_final    wl", output);
        Assert.Contains("(a) mean pairwise value", output);
        string outDir = Path.Combine(folder.Path, "analysis");
        foreach (var file in new[] { "analysis.json", "analysis.csv", "prefix.csv", "steps.csv", "samples.csv", "pairs.csv", "scatter_cosine_wl.png", "scatter_cosine_ged.png" })
            Assert.True(File.Exists(Path.Combine(outDir, file)), file);
        Assert.Equal(101, File.ReadAllLines(Path.Combine(outDir, "pairs.csv")).Length);
    }

    [Theory]
    [InlineData("Usage: nascent analyze controller", "analyze", "hidden")]
    [InlineData("needs --run RUN_DIR", "analyze", "controller")]
    [InlineData("--samples must be at least 3 (got 1)", "analyze", "controller", "--run", ".", "--samples", "1")]
    [InlineData("Unknown option --bogus for 'analyze'", "analyze", "controller", "--run", ".", "--bogus", "1")]
    public void Analyze_mistakes_are_one_line(string expected, params string[] args) =>
        NascentCli.AssertOneLineError(expected, args);

    [Fact]
    public void Help_names_the_analyze_command()
    {
        Assert.Contains("analyze", NascentCli.Run("--help").Output);
        var (code, output, _) = NascentCli.Run("analyze", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--prefix-samples M", output);
    }
}
