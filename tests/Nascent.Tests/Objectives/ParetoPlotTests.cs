using Nascent.Core;
using Nascent.Objectives;
using Nascent.Tests.Data;
using Nascent.Plots;

namespace Nascent.Tests.Objectives;

public sealed class ParetoPlotTests
{
    [Fact]
    public void Writes_non_empty_png_and_svg_files_with_labelled_axes()
    {
        using var temp = new TempFolder();
        var random = new SeededRandom(4);
        var latency = Enumerable.Range(0, 50).Select(_ => 1 + 9 * random.NextDouble()).ToArray();
        var accuracy = latency.Select(ms => 60 + 3 * ms + 10 * random.NextDouble()).ToArray();
        string png = Path.Combine(temp.Path, "front.png"), svg = Path.Combine(temp.Path, "front.svg");

        ParetoPlot.Write(png, latency, accuracy, Objective.LatencyMs);
        ParetoPlot.Write(svg, latency, accuracy, Objective.LatencyMs, title: "test front");

        var bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 1000);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        string text = File.ReadAllText(svg);
        Assert.Contains("<svg", text);
        Assert.Contains("latency (ms)", text);
        Assert.Contains("accuracy (%)", text);
        Assert.Contains("Pareto front", text);
    }

    [Fact]
    public void Another_extension_is_a_user_error_naming_the_file()
    {
        using var temp = new TempFolder();
        var error = Assert.Throws<NascentException>(() =>
            ParetoPlot.Write(Path.Combine(temp.Path, "front.jpg"), [1.0], [50.0], Objective.ParamsMillions));
        Assert.Contains("front.jpg", error.Message);
    }
}
