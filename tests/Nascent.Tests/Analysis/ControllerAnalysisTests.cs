using System.Text.Json.Nodes;
using Nascent.Analysis;
using Nascent.Core;
using Nascent.Experiments;
using Nascent.Spaces;
using Nascent.Strategies;
using Nascent.Tests.Data;
using Nascent.Tests.Strategies;
using Nascent.Experiments.Execution;
using Nascent.Experiments.Search;
using Nascent.Experiments.Train;

namespace Nascent.Tests.Analysis;

public sealed class ControllerAnalysisTests
{
    private static readonly ControllerAnalysisOptions Small = new()
    {
        Samples = 40, Pairs = 150, PrefixSamples = 6, PrefixAnchors = 2, BootstrapResamples = 100, Seed = 7,
    };

    [Theory]
    [InlineData("tiny")]
    [InlineData("nb201")]
    [InlineData("enas-micro")]
    public void The_analysis_of_a_fresh_controller_gives_finite_correlations_and_every_experiment(string spaceName)
    {
        SearchSpace space = spaceName == "tiny" ? new TinyCellSpace() : SpaceCatalog.Create(spaceName);
        using var enas = new Enas(space, 1, new ControllerOptions { LstmSize = 16 });
        var result = ControllerAnalysis.Run(enas, Small);

        Assert.Equal(space.Decisions.Count, result.Decisions);
        Assert.Equal(150, result.Pairs);
        Assert.Equal(12, result.Correlations.Count); // 4 hidden metrics x 3 graph metrics
        foreach (var c in result.Correlations)
            foreach (var e in new[] { c.Pearson, c.Spearman })
            {
                Assert.True(double.IsFinite(e.Value) && double.IsFinite(e.Low) && double.IsFinite(e.High), $"{c.HiddenMetric}/{c.GraphMetric}: {e}");
                Assert.InRange(e.Value, -1, 1);
                Assert.Equal(150, e.Count);
            }
        Assert.Equal(3 * space.Decisions.Count, result.Steps.Count);
        // The first decision's hidden state is the same in every sample: no correlation to measure there.
        Assert.True(double.IsNaN(result.Steps[0].Pearson));
        Assert.Equal(3 * 3, result.Prefix.Count); // 25, 50, 75 % of the decisions, three graph metrics
        Assert.All(result.Prefix, p => Assert.Equal(p.Conditioned - p.Unconditioned, p.Difference, 12));
        Assert.All(result.PairMeasurements, p => Assert.InRange(p.CosineFinal, -1, 1));
        Assert.Equal(spaceName != "enas-micro", result.GedExactFraction == 1.0);
    }

    [Fact]
    public void Fixing_the_whole_prefix_but_one_decision_makes_conditioned_samples_more_alike_than_unconditioned_ones()
    {
        var space = Nb201Space.Instance;
        using var enas = new Enas(space, 2);
        var result = ControllerAnalysis.Run(enas, Small with { PrefixFractions = [0.9], PrefixSamples = 10 });
        Assert.Equal(5, result.Prefix[0].PrefixLength);
        var ged = result.Prefix.Single(p => p.GraphMetric == "ged");
        var wl = result.Prefix.Single(p => p.GraphMetric == "wl");
        Assert.True(ged.Conditioned < ged.Unconditioned); // one edge left to vary: distances stay small
        Assert.True(ged.Conditioned <= 3.0); // one edge changed costs at most 3: its operation node and two edges
        Assert.True(wl.Conditioned > wl.Unconditioned);
    }

    [Fact]
    public void The_same_seed_gives_the_same_analysis_and_a_run_directory_restores_the_controller()
    {
        using var folder = new TempFolder();
        var config = new SearchConfig { Strategy = "enas-memory", Space = "nb201", Seed = 3,
            StrategyOptions = new MemoryControllerOptions { Controller = new ControllerOptions { LstmSize = 16 } } };
        var run = RunDirectory.Create(folder.Path, "search");
        run.WriteJson("config.json", config);
        JsonObject state;
        ControllerAnalysisResult original;
        using (var enas = (Enas)config.Descriptor.Create(new StrategyContext(config.CreateSpace(), 99), config.Options()))
        {
            original = ControllerAnalysis.Run(enas, Small);
            Assert.Equal(original, ControllerAnalysis.Run(enas, Small) with { WallSeconds = original.WallSeconds }, new ResultComparer());
            state = enas.ExportState();
        }
        run.WriteJson(SearchExperiment.StrategyStateFile, state);
        using var loaded = ControllerAnalysis.LoadStrategy(folder.Path);
        Assert.Equal("enas-memory", loaded.Name);
        // Built from seed 3 but loaded with seed 99's weights: the same samples as the original controller.
        var again = ControllerAnalysis.Run(loaded, Small);
        Assert.Equal(original, again with { WallSeconds = original.WallSeconds }, new ResultComparer());

        var files = ControllerAnalysisReport.Write(again, RunDirectory.Create(Path.Combine(folder.Path, "analysis"), "analyze"));
        foreach (var file in files) Assert.True(new FileInfo(Path.Combine(folder.Path, "analysis", file)).Length > 0, file);
        var csv = File.ReadAllLines(Path.Combine(folder.Path, "analysis", "analysis.csv"));
        Assert.Equal(13, csv.Length);
        Assert.StartsWith("hidden_metric,graph_metric,pearson,pearson_low,pearson_high,spearman", csv[0]);
        var samples = File.ReadAllLines(Path.Combine(folder.Path, "analysis", "samples.csv"));
        Assert.Equal(Small.Samples + 1, samples.Length);
        Nb201Space.Instance.Parse(samples[1].Split(',', 2)[1]); // architectures in their string form
        var png = File.ReadAllBytes(Path.Combine(folder.Path, "analysis", "scatter_cosine_wl.png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
    }

    [Fact]
    public void A_run_without_a_controller_or_without_its_state_is_a_clear_error()
    {
        using var folder = new TempFolder();
        var rsws = RunDirectory.Create(folder.Sub("rsws"), "search");
        rsws.WriteJson("config.json", new SearchConfig { Strategy = "rsws" });
        var e = Assert.Throws<NascentException>(() => ControllerAnalysis.LoadStrategy(rsws.Path));
        Assert.Contains("saves no controller", e.Message);

        var enas = RunDirectory.Create(folder.Sub("enas"), "search");
        enas.WriteJson("config.json", new SearchConfig { Strategy = "enas" });
        e = Assert.Throws<NascentException>(() => ControllerAnalysis.LoadStrategy(enas.Path));
        Assert.Contains("has no strategy.json", e.Message);

        File.WriteAllText(enas.File("strategy.json"), "{ not json");
        e = Assert.Throws<NascentException>(() => ControllerAnalysis.LoadStrategy(enas.Path));
        Assert.Contains("cannot be read", e.Message);

        var train = RunDirectory.Create(folder.Sub("train"), "train");
        train.WriteJson("config.json", new TrainConfig { Arch = "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|" });
        e = Assert.Throws<NascentException>(() => ControllerAnalysis.LoadStrategy(train.Path));
        Assert.Contains("is not a search run", e.Message);

        e = Assert.Throws<NascentException>(() => ControllerAnalysis.LoadStrategy(Path.Combine(folder.Path, "missing")));
        Assert.Contains("not found", e.Message);
    }

    /// <summary>Results are equal when every number is (records hold lists, which compare by reference).</summary>
    private sealed class ResultComparer : IEqualityComparer<ControllerAnalysisResult>
    {
        public bool Equals(ControllerAnalysisResult? a, ControllerAnalysisResult? b) =>
            a is not null && b is not null
            && Text(a) == Text(b)
            && a.PairMeasurements.SequenceEqual(b.PairMeasurements);

        private static string Text(ControllerAnalysisResult r) =>
            System.Text.Json.JsonSerializer.Serialize(r, RunDirectory.Json);

        public int GetHashCode(ControllerAnalysisResult r) => 0;
    }
}
