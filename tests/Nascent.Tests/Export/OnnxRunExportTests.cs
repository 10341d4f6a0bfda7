using Nascent.Data;
using Nascent.Export;
using Nascent.Export.Onnx;
using Nascent.Spaces;
using Nascent.Tests.Cli;
using Nascent.Tests.Data;
using Nascent.Tests.Reports;
using Nascent.Experiments.Execution;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Nascent.Tests.Export;

/// <summary><c>nascent export RUN --format onnx</c> end to end: a tiny <c>nascent train</c> run on an excerpt of real
/// MNIST, exported through the command line, run by ONNX Runtime on real test images against the run's own network
/// in TorchSharp; and the refusals, each one line and exit code 2.</summary>
public sealed class OnnxRunExportTests(MnistExcerpt mnist, ITestOutputHelper output) : IClassFixture<MnistExcerpt>, IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>The first <paramref name="count"/> test images of the excerpt, as [0, 1] pixels (byte / 255).</summary>
    internal static Tensor TestPixels(string dataDirectory, int count)
    {
        var (_, test) = DatasetLoader.ReadRaw(DatasetKind.Mnist, DataDirectories.DatasetFolder(dataDirectory, DatasetKind.Mnist));
        var bytes = test.Pixels.AsSpan(0, count * test.ImageSize).ToArray();
        return tensor(bytes, [count, test.Channels, test.Height, test.Width]).to_type(ScalarType.Float32) / 255f;
    }

    [Theory]
    [InlineData("nb201", "|nor_conv_3x3~0|+|skip_connect~0|avg_pool_3x3~1|+|none~0|nor_conv_1x1~1|nor_conv_3x3~2|")]
    [InlineData("enas-micro", null)]
    public void A_trained_run_exports_to_onnx_and_OnnxRuntime_gives_its_logits(string spaceName, string? arch)
    {
        var space = SpaceCatalog.Create(spaceName, 3);
        arch ??= space.Sample(new global::Nascent.Core.SeededRandom(4)).ToString();
        string train = Path.Combine(_temp.Path, "train-" + spaceName), export = Path.Combine(_temp.Path, "export-" + spaceName);
        var t = NascentCli.Run("train", "--space", spaceName, "--nodes", "3", "--arch", arch, "--data-dir", mnist.DataDirectory,
            "--train-subset", "300", "--validation-size", "300", "--batch-size", "16", "--channels", "4", "--epochs", "1", "--out", train, "--quiet");
        Assert.True(t.ExitCode == 0, t.Errors);

        var (code, text, errors) = NascentCli.Run("export", train, "--format", "onnx", "--out", export);
        Assert.True(code == 0, errors);
        Assert.Contains("model.onnx", text);
        foreach (var file in new[] { ArchitectureFile.FileName, OnnxExport.FileName, ModelDescription.FileName, "README.md" })
            Assert.True(File.Exists(Path.Combine(export, file)), $"{file} missing");
        var description = RunDirectory.ReadJson<ModelDescription>(Path.Combine(export, ModelDescription.FileName));
        Assert.Equal("onnx", description.WeightsFormat);
        Assert.Equal(Enumerable.Range(0, 10).Select(c => c.ToString()), description.ClassNames);
        Assert.Equal([1, 28, 28], description.InputShape);
        var signature = description.Onnx!;
        Assert.Equal(17, signature.Opset);
        Assert.Equal(("input", "logits", "batch"), (signature.Input, signature.Output, signature.BatchDimension));
        Assert.InRange(signature.Mean[0], 0.12f, 0.14f); // MNIST's pixel mean is about 0.13, its std about 0.31
        Assert.InRange(signature.Std[0], 0.29f, 0.33f);
        Assert.Contains("nascent predict", File.ReadAllText(Path.Combine(export, "README.md")));

        var model = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(export, OnnxExport.FileName)));
        var input = new OnnxInput(1, 28, 28, signature.Mean, signature.Std);
        using var network = TrainedModel.Find(train)!.Build();
        var pixels = TestPixels(mnist.DataDirectory, 7);
        var (difference, sameArgmax) = OnnxRuntimeCheck.Compare(model, input, pixels, x => network.call(x));
        output.WriteLine($"onnx-diff {spaceName} trained run (CLI) MNIST: max |ORT - TorchSharp| = {difference:E2}");
        Assert.True(difference <= 1e-4, $"max difference {difference:E3}");
        Assert.True(sameArgmax);
    }

    [Fact]
    public void Runs_it_cannot_export_and_unknown_formats_are_one_line_errors()
    {
        string search = Path.Combine(_temp.Path, "search");
        RunFiles.WriteSearch(search, Nb201Space.Instance, "rs", [30, 60]);
        NascentCli.AssertOneLineError("holds no trained weights", "export", search, "--format", "onnx");
        NascentCli.AssertOneLineError("Unknown export format 'tflite'", "export", search, "--format", "tflite");
        NascentCli.AssertOneLineError("--selection names an InstaNAS selection", "export", search, "--format", "onnx", "--selection", "ir3e6");
        Assert.False(Directory.Exists(Path.Combine(search, "export")));
    }
}
