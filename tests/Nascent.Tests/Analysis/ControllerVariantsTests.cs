using System.Text.Json.Nodes;
using Nascent.Analysis;
using Nascent.Experiments;
using Nascent.Experiments.Execution;
using Nascent.Experiments.Search;
using Nascent.Strategies;
using Nascent.Tests.Cli;
using Nascent.Tests.Data;

namespace Nascent.Tests.Analysis;

/// <summary>`analyze controller --variants`: three searches of one configuration on an excerpt of real MNIST, a tiny
/// budget (4 channels, 400 images, one epoch, 4 controller updates).</summary>
public sealed class ControllerVariantsTests(MnistExcerpt mnist) : IClassFixture<MnistExcerpt>
{
    private SearchConfig TinyRun(string strategy, IStrategyOptions options) => new()
    {
        Strategy = strategy, Space = "nb201", Seed = 5, Candidates = 3, StrategyOptions = options,
        Data = new DataSettings { DataDir = mnist.DataDirectory, TrainSubset = 400, ValidationSize = 200 },
        Training = new TrainingSettings { Epochs = 1, Channels = 4 },
        WeightSharing = new WeightSharingOptions { RewardImages = 50, RankingImages = 100, FinalTop = 1 },
    };

    private static readonly ControllerOptions TinyController = new() { LstmSize = 16, SamplesPerUpdate = 2, UpdatesPerEpoch = 4 };

    [Fact]
    public void The_variants_keep_the_runs_configuration_and_change_only_the_strategy_and_the_loss()
    {
        var run = TinyRun("enas-memory", new MemoryControllerOptions { Controller = TinyController, Memory = new MemoryBufferOptions { Size = 7, Replays = 3 } });
        var variants = ControllerVariants.Of(run, new ControllerAnalysisOptions());
        Assert.Equal(["enas", "enas-memory", "enas-memory-aux"], variants.Select(v => v.Name));
        Assert.Equal(TinyController, (ControllerOptions)variants[0].Options);
        var without = (MemoryControllerOptions)variants[1].Options;
        var with = (MemoryControllerOptions)variants[2].Options;
        Assert.Equal(new MemoryBufferOptions { Size = 7, Replays = 3 }, without.Memory);
        Assert.Equal(new MemoryBufferOptions { Size = 7, Replays = 3, AuxiliaryWeight = 0.1 }, with.Memory);
        Assert.Equal(TinyController, with.Controller);
        // A run that trained the loss gives its own weight.
        var weighted = TinyRun("enas-memory", new MemoryControllerOptions { Memory = new MemoryBufferOptions { AuxiliaryWeight = 0.3 } });
        Assert.Equal(0.3, ControllerVariants.Of(weighted, new ControllerAnalysisOptions())[2].AuxiliaryWeight);
    }

    [Fact]
    public void Analyze_controller_variants_searches_and_analyses_the_three_controllers_side_by_side()
    {
        using var folder = new TempFolder();
        var run = RunDirectory.Create(folder.Sub("enas"), "search");
        run.WriteJson("config.json", TinyRun("enas", TinyController)); // the configuration alone: no trained controller needed
        string outDir = Path.Combine(folder.Path, "variants");
        var (code, output, errors) = NascentCli.Run("analyze", "controller", "--run", run.Path, "--variants", "--out", outDir,
            "--samples", "20", "--pairs", "60", "--prefix-samples", "4", "--prefix-anchors", "1", "--bootstrap", "20", "--quiet");
        Assert.True(code == 0, errors);
        Assert.Contains("enas-memory-aux", output);
        Assert.Contains("cosine_final ged", output);

        var result = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "result.json")))!;
        var variants = result["variants"]!.AsArray();
        Assert.Equal(["enas", "enas-memory", "enas-memory-aux"], variants.Select(v => (string)v!["variant"]!));
        Assert.Equal([0.0, 0.0, 0.1], variants.Select(v => (double)v!["auxiliary_weight"]!));
        foreach (var v in variants)
        {
            var analysis = v!["analysis"]!;
            Assert.Equal(4, (int)analysis["controller_updates"]!); // the same budget: 4 updates of 2 samples each
            Assert.Equal(20, (int)analysis["samples"]!);
            Assert.Equal(12, analysis["correlations"]!.AsArray().Count);
            Assert.All(analysis["correlations"]!.AsArray(), c => Assert.InRange((double)c!["spearman"]!["value"]!, -1, 1));
            Assert.InRange((double)v["best_validation_accuracy"]!, 0, 100);
            string variantRun = (string)v["run"]!;
            var config = JsonNode.Parse(File.ReadAllText(Path.Combine(variantRun, "config.json")))!;
            Assert.Equal(5, (int)config["seed"]!);
            Assert.True(File.Exists(Path.Combine(variantRun, "analysis", "analysis.json")));
        }
        Assert.Equal(1 + 3 * 12, File.ReadAllLines(Path.Combine(outDir, "variants.csv")).Length);
    }
}
