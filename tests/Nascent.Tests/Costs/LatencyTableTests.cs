using Nascent.Analysis;
using Nascent.Core;
using Nascent.Costs;
using Nascent.Nn;
using Nascent.Spaces;
using Nascent.Tests.Data;

namespace Nascent.Tests.Costs;

public sealed class LatencyTableTests
{
    private static readonly NetworkOptions Mnist = new(InputChannels: 1, Classes: 10, Channels: 16, Cells: 1);

    /// <summary>Few, short samples: these tests check bookkeeping, not timing quality.</summary>
    private static readonly LatencyOptions Fast = new() { Rounds = 1, Warmup = 2, Repeats = 3, MinSampleMs = 0.2 };

    private static Architecture Arch(string text) => Nb201Space.Instance.Parse(text);

    // One small table for the bookkeeping tests (8 channels, 2 cells: every count is doubled).
    private static readonly Lazy<LatencyTable> Small = new(() =>
        LatencyTable.Create(Nb201Space.Instance, Mnist with { Channels = 8, Cells = 2 }, 28, 28, Fast));

    [Fact]
    public void A_saved_table_loads_back_with_the_same_profile_and_predictions()
    {
        using var temp = new TempFolder();
        string path = Path.Combine(temp.Path, "sub", "table.json");
        var table = Small.Value;
        table.Save(path);
        var loaded = LatencyTable.Load(path);

        var (a, b) = (table.Profile, loaded.Profile);
        Assert.Equal(a with { Entries = [] }, b with { Entries = [] });
        Assert.Equal(a.Entries.Count, b.Entries.Count);
        foreach (var (x, y) in a.Entries.Zip(b.Entries))
        {
            Assert.Equal(x with { Input = [] }, y with { Input = [] }); // doubles survive exactly
            Assert.Equal(x.Input, y.Input);
        }
        var random = new SeededRandom(3);
        for (int i = 0; i < 20; i++)
        {
            var architecture = Nb201Space.Instance.Sample(random);
            Assert.Equal(table.PredictMs(architecture), loaded.PredictMs(architecture));
        }
        Assert.Equal("nb201", b.Space);
        Assert.Equal((1, 28, 28, 10, 8, 2, 1), (b.InputChannels, b.InputHeight, b.InputWidth, b.Classes, b.Channels, b.Cells, b.Batch));
        Assert.True(b.Threads >= 1);
        Assert.False(string.IsNullOrEmpty(b.Machine));
        Assert.Equal(22, b.Entries.Count); // stem, 2 reductions, head, 3 stages x (4 operations + add + zeros)
        // Each entry is one part at batch 1 (measured here: 0.001 ms for skip_connect to 0.2 ms for a 3 x 3
        // convolution): positive and far below 100 ms; parts that convolve cannot take under a microsecond.
        Assert.All(b.Entries, e => Assert.True(e.MedianMs is > 0 and < 100, $"{e.Name}: {e.MedianMs} ms"));
        Assert.All(b.Entries.Where(e => e.Name is "stem" or "head" || e.Name.EndsWith("conv_3x3", StringComparison.Ordinal)),
            e => Assert.True(e.MedianMs > 0.001, $"{e.Name}: {e.MedianMs} ms"));
    }

    [Fact]
    public void The_prediction_is_the_sum_of_its_entries_counted_by_hand()
    {
        var table = Small.Value;
        double Entry(string name) => table.Profile.Entries.Single(e => e.Name == name).MedianMs;
        double skeleton = Entry("stem") + Entry("stage_2/reduction") + Entry("stage_3/reduction") + Entry("head");

        // Node 1 = conv(0); node 2 receives only none; node 3 = skip(0) + conv(node 2 = zeros): per cell two 3 x 3
        // convolutions, one skip, one zero tensor, one addition; 2 cells per stage.
        var arch = Arch("|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|nor_conv_3x3~2|");
        double expected = skeleton;
        for (int s = 1; s <= 3; s++)
            expected += 2 * (2 * Entry($"stage_{s}/nor_conv_3x3") + Entry($"stage_{s}/skip_connect")
                + Entry($"stage_{s}/zeros") + Entry($"stage_{s}/add"));
        Assert.Equal(expected, table.PredictMs(arch), 12);

        // All none: the skeleton plus one zero output per cell.
        var none = Arch("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|");
        Assert.Equal(skeleton + 2 * (Entry("stage_1/zeros") + Entry("stage_2/zeros") + Entry("stage_3/zeros")), table.PredictMs(none), 12);

        var random = new SeededRandom(7);
        for (int i = 0; i < 50; i++)
        {
            var a = Nb201Space.Instance.Sample(random);
            Assert.Equal(table.Terms(a).Sum(t => t.Count * Entry(t.Entry)), table.PredictMs(a), 12);
        }
    }

    [Theory]
    [InlineData("|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|nor_conv_3x3~2|", 1, 1)]
    [InlineData("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", 1, 0)]
    [InlineData("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|", 0, 3)]
    [InlineData("|none~0|+|none~0|avg_pool_3x3~1|+|none~0|none~1|none~2|", 2, 0)] // node 1 zeros feeds node 2; output zeros
    public void A_cells_extra_work_counts_zero_tensors_and_additions(string arch, int zeros, int additions) =>
        Assert.Equal((zeros, additions), Nb201Cell.ExtraWork(Arch(arch).Choices));

    [Fact]
    public void A_table_for_another_shape_or_network_is_one_clear_error()
    {
        var table = Small.Value;
        table.EnsureMatches(Nb201Space.Instance, Mnist with { Channels = 8, Cells = 2 }, 28, 28); // matches: no error
        var shape = Assert.Throws<NascentException>(() =>
            table.EnsureMatches(Nb201Space.Instance, new NetworkOptions(3, 10, 8, 2), 32, 32));
        Assert.Contains("profiled for nb201 at input 1x28x28", shape.Message);
        Assert.Contains("this run uses nb201 at input 3x32x32", shape.Message);
        Assert.Throws<NascentException>(() => table.EnsureMatches(Nb201Space.Instance, Mnist with { Channels = 16, Cells = 2 }, 28, 28));
        Assert.Throws<NascentException>(() => table.EnsureMatches(new EnasMicroSpace(), Mnist with { Channels = 8, Cells = 2 }, 28, 28));
        var other = Assert.Throws<NascentException>(() => LatencyTable.Create(new EnasMicroSpace(), Mnist, 28, 28, Fast));
        Assert.Contains("No latency table for space enas-micro yet", other.Message);
    }

    [Theory]
    [InlineData("{ not json", "is not valid JSON")]
    [InlineData("", "is not valid JSON")]
    [InlineData("null", "is empty")]
    [InlineData("{\"format\": \"something-else\"}", "format is 'something-else'")]
    public void A_malformed_file_is_one_clear_error_naming_it(string content, string expected)
    {
        using var temp = new TempFolder();
        string path = Path.Combine(temp.Path, "bad.json");
        File.WriteAllText(path, content);
        var e = Assert.Throws<NascentException>(() => LatencyTable.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void A_table_missing_an_entry_or_with_a_bad_value_is_refused()
    {
        using var temp = new TempFolder();
        string path = Path.Combine(temp.Path, "t.json");
        var profile = Small.Value.Profile;
        Small.Value.Save(path);
        string good = File.ReadAllText(path);

        File.WriteAllText(path, good.Replace("\"head\"", "\"heed\""));
        Assert.Contains("entry 'head' is missing", Assert.Throws<NascentException>(() => LatencyTable.Load(path)).Message);
        File.WriteAllText(path, good.Replace("\"space\": \"nb201\"", "\"space\": \"enas-micro\""));
        Assert.Contains("space 'enas-micro' has no latency table", Assert.Throws<NascentException>(() => LatencyTable.Load(path)).Message);
        File.WriteAllText(path, good.Replace("\"cells\": 2", "\"cells\": 0"));
        Assert.Contains("cells must be at least 1", Assert.Throws<NascentException>(() => LatencyTable.Load(path)).Message);
        Assert.Contains("not found", Assert.Throws<NascentException>(() => LatencyTable.Load(path + ".missing")).Message);
        // The unedited file loads: each error came from its edit.
        File.WriteAllText(path, good);
        Assert.Equal(profile with { Entries = [] }, LatencyTable.Load(path).Profile with { Entries = [] });
    }

    /// <summary>
    /// Prediction quality at MNIST shape (16 channels, 1 cell, batch 1): six architectures from the skeleton alone
    /// to all 3 x 3 convolutions (about 0.6 to 3 ms measured with 1 thread on the 2-core development machine), profiled
    /// and measured by the commands (in process, <see cref="Cli.NascentCli"/>) with 1 thread: profile's --threads 1,
    /// which check takes from the table; the test host's count is restored after each (on a loaded 2-core machine
    /// 2-thread timings of sub-millisecond operations are dominated by waiting for the second thread: one run
    /// measured 1.1 to 416 ms for these networks). The table must
    /// rank them nearly right: Spearman's ρ ≥ 0.7 (at most a few adjacent swaps). Timing on a shared test machine is
    /// noisy, so only the ranking is asserted, loosely; docs/BENCHMARKS.md (bench latency) has the real figures.
    /// </summary>
    [Fact]
    public void The_table_ranks_architectures_of_clearly_different_latency_as_measured()
    {
        string[] archs =
        [
            "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|",
            "|nor_conv_1x1~0|+|none~0|none~1|+|none~0|none~1|skip_connect~2|",
            "|nor_conv_3x3~0|+|none~0|nor_conv_1x1~1|+|none~0|none~1|skip_connect~2|",
            "|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|nor_conv_1x1~0|none~1|nor_conv_3x3~2|",
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|avg_pool_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|",
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|",
        ];
        using var temp = new TempFolder();
        string table = Path.Combine(temp.Path, "mnist.json");
        var (code, _, errors) = Cli.NascentCli.Run("latency", "profile", "--out", table, "--dataset", "mnist",
            "--repeats", "7", "--threads", "1", "--quiet");
        Assert.True(code == 0, errors);
        var (checkCode, output, checkErrors) = Cli.NascentCli.Run(
            ["latency", "check", "--latency-table", table, "--repeats", "7", "--quiet", .. archs.SelectMany(a => new[] { "--arch", a })]);
        Assert.True(checkCode == 0, checkErrors);
        var line = output.Split('\n').Single(l => l.StartsWith("Spearman rho: ", StringComparison.Ordinal));
        double rho = double.Parse(line["Spearman rho: ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(rho >= 0.7, output);
    }
}
