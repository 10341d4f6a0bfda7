using System.Text.Json;
using Nascent.Data;
using Nascent.Experiments;
using Nascent.Experiments.Execution;
using Nascent.Experiments.Search;
using Nascent.Experiments.Train;
using Nascent.Export;
using Nascent.Export.Onnx;
using Nascent.Nn;
using Nascent.Prediction;
using Nascent.Spaces;
using Nascent.Tests.Cli;
using Nascent.Tests.Data;
using Nascent.Tests.Export;
using static TorchSharp.torch;

namespace Nascent.Tests.Prediction;

/// <summary>
/// <c>nascent predict</c> on real MNIST test images written as PNG files: with the exported ONNX model (ONNX Runtime)
/// and with the train run itself (TorchSharp), each image's class and probability equal those of the run's network on
/// the IDX pixels; lines in ordinal path order; the errors one line and exit code 2.
/// </summary>
public sealed class PredictTests : IDisposable
{
    private const int Images = 12;
    private readonly TempFolder _temp = new();
    private readonly string _run, _export, _images;
    private readonly RawImages _test;

    public PredictTests()
    {
        _run = Path.Combine(_temp.Path, "train");
        _export = Path.Combine(_temp.Path, "export");
        _images = Path.Combine(_temp.Path, "images");
        var architecture = Nb201Space.Instance.Parse("|nor_conv_3x3~0|+|skip_connect~0|avg_pool_3x3~1|+|none~0|nor_conv_1x1~1|nor_conv_3x3~2|");
        var run = RunDirectory.Create(_run, "train");
        run.WriteJson("config.json", new TrainConfig { Arch = architecture.ToString(), Space = architecture.Space.Name,
            Data = new DataSettings { Dataset = "mnist" }, Training = new TrainingSettings { Channels = 4, Cells = 1 }, Out = run.Path });
        run.WriteJson("result.json", new SearchResult("train", "train", architecture.Space.Name, "mnist", 0,
            new BestArchitecture(architecture.ToString(), 50, 50, 1), 1, 0, 1.0, [new RankedArchitecture(architecture.ToString(), 50, 1)], run.Path));
        using (var network = NetworkFactory.CreateStandalone(architecture, new NetworkOptions(1, 10, 4, 1)))
        {
            OnnxRuntimeCheck.Perturb(network, 12);
            TrainedModel.Save(network, run.File(TrainedModel.WeightsFile));
        }
        var exported = NascentCli.Run("export", _run, "--format", "onnx", "--out", _export);
        Assert.True(exported.ExitCode == 0, exported.Errors);
        (_, _test) = DatasetLoader.ReadRaw(DatasetKind.Mnist, DataDirectories.DatasetFolder(DataDirectories.Resolve(null), DatasetKind.Mnist));
        // two folders, names out of order, and a file that is not an image
        for (int i = 0; i < Images; i++)
            ImageFiles.WritePng(Path.Combine(_images, i % 2 == 0 ? "b" : "a", $"{Images - i:D2}.png"), _test, i);
        File.WriteAllText(Path.Combine(_images, "notes.txt"), "not an image");
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>Path -> (class, probability) as the run's network gives them on the IDX bytes / 255.</summary>
    private Dictionary<string, (string Class, double Probability)> Expected()
    {
        using var network = TrainedModel.Find(_run)!.Build();
        var (input, _) = RunExport.TrainingData(_run, "mnist");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var pixels = tensor(_test.Pixels.AsSpan(0, Images * _test.ImageSize).ToArray(), [Images, 1, 28, 28]).to_type(ScalarType.Float32) / 255f;
        var logits = network.call((pixels - input.Mean[0]) / input.Std[0]).data<float>().ToArray();
        var expected = new Dictionary<string, (string, double)>();
        for (int i = 0; i < Images; i++)
        {
            var (best, probability) = Predictor.Softmax(logits.AsSpan(i * 10, 10));
            expected[Path.Combine(_images, i % 2 == 0 ? "b" : "a", $"{Images - i:D2}.png")] = (best.ToString(), probability);
        }
        return expected;
    }

    [Fact]
    public void Onnx_and_run_predictions_equal_the_networks_on_the_idx_pixels_in_path_order()
    {
        var expected = Expected();
        var sorted = expected.Keys.OrderBy(p => p, StringComparer.Ordinal).ToArray();
        foreach (var model in new[] { Path.Combine(_export, OnnxExport.FileName), _export, _run })
        {
            var (code, output, errors) = NascentCli.Run("predict", model, _images);
            Assert.True(code == 0, errors);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(sorted, lines.Select(l => l.Split('\t')[0]));
            foreach (var line in lines)
            {
                var fields = line.Split('\t');
                Assert.Equal(3, fields.Length);
                Assert.Equal(expected[fields[0]].Class, fields[1]);
                Assert.Matches(@"^[01]\.\d{4}$", fields[2]);
                double printed = double.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(Math.Abs(expected[fields[0]].Probability - printed) <= 6e-5, $"{line}: expected {expected[fields[0]].Probability}");
            }
        }
        // Files given one by one come out in path order too; --json gives the same as JSON lines.
        var (jsonCode, json, jsonErrors) = NascentCli.Run("predict", _export, sorted[3], sorted[1], "--json");
        Assert.True(jsonCode == 0, jsonErrors);
        var records = json.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal([sorted[1], sorted[3]], records.Select(r => r.GetProperty("path").GetString()));
        foreach (var r in records)
        {
            var (cls, probability) = expected[r.GetProperty("path").GetString()!];
            Assert.Equal(cls, r.GetProperty("class").GetString());
            Assert.True(Math.Abs(probability - r.GetProperty("probability").GetDouble()) <= 1e-5);
        }
    }

    [Fact]
    public void Unreadable_models_mismatched_shapes_and_missing_images_are_one_line_errors()
    {
        string bad = Path.Combine(_temp.Path, "bad.onnx");
        File.WriteAllText(bad, "this is not a protobuf");
        NascentCli.AssertOneLineError("is not an ONNX model", "predict", bad, _images);

        string shifted = Path.Combine(_temp.Path, "shifted");
        Directory.CreateDirectory(shifted);
        File.Copy(Path.Combine(_export, OnnxExport.FileName), Path.Combine(shifted, OnnxExport.FileName));
        var description = RunDirectory.ReadJson<ModelDescription>(Path.Combine(_export, ModelDescription.FileName));
        RunDirectory.Of(shifted).WriteJson(ModelDescription.FileName, description with { InputShape = [3, 32, 32] });
        NascentCli.AssertOneLineError("gives the input shape 3x32x32, but", "predict", shifted, _images);

        string empty = Path.Combine(_temp.Path, "empty");
        Directory.CreateDirectory(empty);
        File.WriteAllText(Path.Combine(empty, "readme.md"), "no images here");
        NascentCli.AssertOneLineError("No images found in", "predict", _export, empty);
        NascentCli.AssertOneLineError("not found", "predict", _export, Path.Combine(_temp.Path, "nowhere"));
        NascentCli.AssertOneLineError("Model", "predict", Path.Combine(_temp.Path, "no-model.onnx"), _images);
        NascentCli.AssertOneLineError("cannot be decoded", "predict", _export, Path.Combine(_images, "notes.txt"));
    }

    /// <summary>The ONNX path needs no libtorch: the real program, with the dynamic linker reporting every library
    /// it loads (LD_DEBUG=libs), loads ONNX Runtime's and never libtorch's.</summary>
    [Fact]
    public void Predicting_with_an_onnx_model_never_loads_libtorch()
    {
        var (code, output, errors) = CliProcess.Run(new Dictionary<string, string> { ["LD_DEBUG"] = "libs" },
            "predict", Path.Combine(_export, OnnxExport.FileName), _images);
        Assert.True(code == 0, errors.Length > 2000 ? errors[^2000..] : errors);
        Assert.Equal(Images, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("libonnxruntime", errors);
        Assert.DoesNotContain("libtorch", errors);
        Assert.DoesNotContain("LibTorchSharp", errors);
    }
}
