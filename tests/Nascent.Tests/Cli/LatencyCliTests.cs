using Nascent.Costs;
using Nascent.Tests.Data;

namespace Nascent.Tests.Cli;

public sealed class LatencyCliTests
{
    [Fact]
    public void Profile_writes_a_table_that_check_measures_against()
    {
        using var temp = new TempFolder();
        string table = Path.Combine(temp.Path, "table.json");
        var (code, output, errors) = NascentCli.Run("latency", "profile", "--space", "nb201", "--out", table,
            "--input", "3x16x16", "--classes", "5", "--channels", "4", "--batch", "2", "--repeats", "2", "--threads", "1", "--quiet");
        Assert.True(code == 0, errors);
        Assert.Contains("stage_3/nor_conv_3x3", output);
        var loaded = LatencyTable.Load(table);
        Assert.Equal((3, 16, 16, 5, 4, 1, 2, 1), (loaded.Profile.InputChannels, loaded.Profile.InputHeight, loaded.Profile.InputWidth,
            loaded.Profile.Classes, loaded.Profile.Channels, loaded.Profile.Cells, loaded.Profile.Batch, loaded.Profile.Threads));
        Assert.Equal(2, loaded.Profile.Repeats);

        (code, output, errors) = NascentCli.Run("latency", "check", "--latency-table", table, "--archs", "3", "--repeats", "2", "--quiet");
        Assert.True(code == 0, errors);
        Assert.Contains("measured here: 3 random (seed 0) architectures, 1 thread(s)", output);
        // Measured end to end at batch 2 on 3 x 16 x 16 input with 4 channels: well under a millisecond here; above
        // 10 µs (no network of convolutions is faster) and below 100 ms.
        var range = System.Text.RegularExpressions.Regex.Match(output, @"thread\(s\), (\d+\.\d+)-(\d+\.\d+) ms");
        Assert.True(range.Success, output);
        double fastest = double.Parse(range.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        double slowest = double.Parse(range.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(fastest is >= 0.01 and <= 100 && slowest is >= 0.01 and <= 100 && fastest <= slowest, output);
        Assert.All(loaded.Profile.Entries, e => Assert.True(e.MedianMs is > 0 and < 100, $"{e.Name}: {e.MedianMs} ms"));
        Assert.Matches(@"Spearman rho: -?\d\.\d{3}", output);
        Assert.Matches(@"MAPE: \d+\.\d %", output);
    }

    [Fact]
    public void Help_lists_the_latency_options()
    {
        var (code, output, _) = NascentCli.Run("latency", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--latency-table FILE", output);
        Assert.Contains("--input CxHxW --classes N", output);
        (code, output, _) = NascentCli.Run("search", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--latency-table FILE", output);
    }
}
