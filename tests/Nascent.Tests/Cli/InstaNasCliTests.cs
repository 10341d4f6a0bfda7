using System.Text.Json;
using Nascent.Data;
using Nascent.Experiments.Execution;
using Nascent.Experiments.InstaNasSearch;
using Nascent.Export;
using Nascent.Export.Onnx;
using Nascent.Nn;
using Nascent.Tests.Data;
using Nascent.Tests.Export;

namespace Nascent.Tests.Cli;

public sealed class InstaNasCliTests
{
    [Theory]
    [InlineData("--stages '16x2': '16x2' is not WIDTHxBLOCKSsSTRIDE", "search", "--strategy", "instanas", "--stages", "16x2")]
    [InlineData("--keep-probability must lie in (0, 1]", "search", "--strategy", "instanas", "--keep-probability", "0")]
    [InlineData("--insta-alpha must be in (0.5, 1]", "search", "--strategy", "instanas", "--insta-alpha", "0.3")]
    [InlineData("Unknown option --space for 'search'", "search", "--strategy", "instanas", "--space", "nb201")]
    [InlineData("nascent infer needs --run RUN_DIR", "infer")]
    [InlineData("holds no finished InstaNAS run", "infer", "--run", "/nonexistent/run")]
    public void A_users_mistake_gives_one_clear_line_and_exit_code_2(string expected, params string[] args) =>
        NascentCli.AssertOneLineError(expected, args);

    /// <summary>A whole (tiny) InstaNAS search on real MNIST through the command line, then nascent infer on its run:
    /// the run directory holds every artefact, and infer classifies the same test images with the same accuracy.</summary>
    [Fact]
    public void A_tiny_search_writes_its_run_and_infer_reproduces_its_test_accuracy()
    {
        string dir = Path.Combine(Path.GetTempPath(), "nascent-instanas-" + Guid.NewGuid().ToString("N"));
        try
        {
            // Small enough to take seconds: 128 training images in batches of 32, 100 validation and test images.
            var (code, output, errors) = NascentCli.Run("search", "--strategy", "instanas", "--train-subset", "128",
                "--batch-size", "32", "--validation-size", "100", "--test-subset", "100", "--stages", "4x1s1,8x1s2",
                "--stem-channels", "4", "--pretrain-epochs", "1", "--epochs", "2", "--finetune-epochs", "1",
                "--recalibrate-images", "64", "--candidates", "3", "--ranking-images", "50",
                "--timing-images", "10", "--seed", "2", "--threads", "1", "--out", dir);
            Assert.True(code == 0, errors);
            Assert.Contains("instanas against the full meta-graph", output);
            Assert.Contains("instanas against the MobileNetV2-like network", output);
            foreach (var file in new[] { "config.json", "result.json", "trials.db", "latency_table.json", "instanas_curve.csv",
                         "oneshot.dat", "metagraph.dat", "controller.dat", "fixed.dat", "latency_histogram.png", "module_usage.png", "report.html" })
                Assert.True(File.Exists(Path.Combine(dir, file)), $"{file} missing");
            using var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "result.json")));
            var insta = result.RootElement.GetProperty("insta_nas");
            Assert.Equal(10, insta.GetProperty("timed_images").GetInt32());
            // A network of a few thousand weights at batch 1 on one thread: about 1-3 ms here; far from both bounds.
            AssertPlausibleLatency(insta);
            // The four networks timed together: the same images, one spread each from the same rounds.
            var mobile = result.RootElement.GetProperty("mobile_net_v2");
            Assert.Equal("ir3e6|ir3e6", mobile.GetProperty("selection").GetString());
            AssertPlausibleLatency(mobile);
            foreach (var name in new[] { "full", "fixed", "mobile_net_v2", "insta_nas" })
                Assert.Equal(5, result.RootElement.GetProperty(name).GetProperty("round_means_ms").GetArrayLength());
            Assert.Equal(new[] { "full", "fixed", "mobilenetv2" },
                result.RootElement.GetProperty("comparisons").EnumerateArray().Select(c => c.GetProperty("against").GetString()));
            string report = File.ReadAllText(Path.Combine(dir, "report.html"));
            Assert.Contains($"<b>{insta.GetProperty("distinct_selections").GetInt32()}</b> distinct selections", report);
            Assert.Contains("module use per class", report);
            Assert.Contains("histogram of per-image latencies", report);
            File.Delete(Path.Combine(dir, "report.html"));
            var (reportCode, _, reportErrors) = NascentCli.Run("report", dir); // nascent report rewrites it
            Assert.True(reportCode == 0, reportErrors);
            Assert.Contains("Instance awareness", File.ReadAllText(Path.Combine(dir, "report.html")));
            Assert.Equal(3, File.ReadAllLines(Path.Combine(dir, "instanas_curve.csv")).Length); // header and 2 epochs

            var (inferCode, inferOutput, inferErrors) = NascentCli.Run("infer", "--run", dir, "--timing-images", "5");
            Assert.True(inferCode == 0, inferErrors);
            using var inferred = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "infer.json")));
            var figures = inferred.RootElement.GetProperty("figures");
            Assert.Equal(insta.GetProperty("test_accuracy").GetDouble(), figures.GetProperty("test_accuracy").GetDouble(), 9);
            Assert.Equal(insta.GetProperty("distinct_selections").GetInt32(), figures.GetProperty("distinct_selections").GetInt32());
            Assert.Equal(100, inferred.RootElement.GetProperty("images").GetInt32());
            Assert.Equal(5, figures.GetProperty("timed_images").GetInt32());
            AssertPlausibleLatency(figures);
            Assert.Contains("test accuracy:", inferOutput);

            // ONNX: the fixed baseline (fixed.dat, the selection result.json names), and the meta-graph under --selection.
            string export = Path.Combine(dir, "onnx");
            var (exportCode, _, exportErrors) = NascentCli.Run("export", dir, "--format", "onnx", "--out", export);
            Assert.True(exportCode == 0, exportErrors);
            var description = RunDirectory.ReadJson<ModelDescription>(Path.Combine(export, ModelDescription.FileName));
            Assert.Equal(result.RootElement.GetProperty("fixed").GetProperty("selection").GetString(), description.Arch);
            using (var network = new InstaNasNetwork(description.MetaGraph!))
            {
                network.load(Path.Combine(dir, InstaNasExperiment.FixedFile));
                network.eval();
                var matrix = network.ToMatrix(network.Space.Parse(description.Arch));
                var model = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(export, OnnxExport.FileName)));
                var input = new OnnxInput(1, 28, 28, description.Onnx!.Mean, description.Onnx.Std);
                var (difference, sameArgmax) = OnnxRuntimeCheck.Compare(model, input,
                    OnnxRunExportTests.TestPixels(DataDirectories.Resolve(null), 7), x => network.Forward(x, matrix));
                Assert.True(difference <= 1e-4 && sameArgmax, $"max difference {difference:E3}, same argmax: {sameArgmax}");
            }
            var (selectionCode, _, selectionErrors) = NascentCli.Run("export", dir, "--format", "onnx", "--selection", "ir3e6|basic",
                "--out", Path.Combine(dir, "onnx-selection"));
            Assert.True(selectionCode == 0, selectionErrors);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The same search on a CIFAR-shaped set (3 x 32 x 32, the CIFAR-10 binary format) written by the test:
    /// the meta-graph and controller are built for 3 channels and 32 x 32 images (their saved weights load into such
    /// networks and no 1-channel one), every artefact is written, and infer reproduces the test accuracy.</summary>
    [Fact]
    public void A_tiny_search_on_a_CIFAR_shaped_set_runs_the_same_code()
    {
        using var temp = new TempFolder();
        DataFiles.WriteCifar10(temp.Sub("cifar10"), perBatch: 24, testCount: 40);
        string dir = temp.Sub("run");
        var (code, output, errors) = NascentCli.Run("search", "--strategy", "instanas", "--dataset", "cifar10", "--data-dir", temp.Path,
            "--train-subset", "100", "--batch-size", "16", "--validation-size", "20", "--stages", "4x1s1,8x1s2", "--stem-channels", "4",
            "--controller-width", "4", "--pretrain-epochs", "2", "--epochs", "2", "--finetune-epochs", "1",
            "--recalibrate-images", "16", "--candidates", "2", "--ranking-images", "20", "--timing-images", "4",
            "--timing-rounds", "2", "--seed", "1", "--threads", "1", "--out", dir);
        Assert.True(code == 0, errors);
        Assert.Contains("instanas against the MobileNetV2-like network", output);
        using var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "result.json")));
        Assert.Equal("cifar10", result.RootElement.GetProperty("dataset").GetString());
        foreach (var name in new[] { "full", "fixed", "mobile_net_v2", "insta_nas" })
        {
            var figures = result.RootElement.GetProperty(name);
            Assert.InRange(figures.GetProperty("test_accuracy").GetDouble(), 0, 100);
            Assert.Equal(4, figures.GetProperty("timed_images").GetInt32());
            Assert.Equal(2, figures.GetProperty("round_means_ms").GetArrayLength());
        }
        foreach (var file in new[] { "metagraph.dat", "controller.dat", "latency_histogram.png", "module_usage.png", "report.html" })
            Assert.True(File.Exists(Path.Combine(dir, file)), $"{file} missing");
        var config = RunDirectory.ReadJson<InstaNasConfig>(Path.Combine(dir, "config.json"));
        using (var metaGraph = new InstaNasNetwork(new MetaGraphOptions(3, 10, 4, "4x1s1,8x1s2")))
        using (var controller = config.CreateController(3, metaGraph.Blocks.Count))
        {
            metaGraph.load(Path.Combine(dir, InstaNasExperiment.MetaGraphFile));
            controller.load(Path.Combine(dir, InstaNasExperiment.ControllerFile));
            controller.eval();
            using var scope = TorchSharp.torch.NewDisposeScope();
            Assert.Equal(new long[] { 2, 2, 5 }, controller.call(TorchSharp.torch.zeros(2, 3, 32, 32)).shape);
        }
        using (var grey = config.CreateController(1, 2))
            Assert.ThrowsAny<Exception>(() => grey.load(Path.Combine(dir, InstaNasExperiment.ControllerFile)));
        var (inferCode, _, inferErrors) = NascentCli.Run("infer", "--run", dir, "--timing-images", "2");
        Assert.True(inferCode == 0, inferErrors);
        using var inferred = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "infer.json")));
        Assert.Equal(40, inferred.RootElement.GetProperty("images").GetInt32());
        Assert.Equal(result.RootElement.GetProperty("insta_nas").GetProperty("test_accuracy").GetDouble(),
            inferred.RootElement.GetProperty("figures").GetProperty("test_accuracy").GetDouble(), 9);
    }

    /// <summary>Measured per-image latencies: above 10 µs (no forward pass of a convolutional network is faster) and
    /// below 100 ms; the median and p90 ordered as their names say.</summary>
    private static void AssertPlausibleLatency(JsonElement figures)
    {
        double mean = figures.GetProperty("mean_latency_ms").GetDouble(), median = figures.GetProperty("median_latency_ms").GetDouble(),
            p90 = figures.GetProperty("p90_latency_ms").GetDouble();
        foreach (double ms in new[] { mean, median, p90 }) Assert.InRange(ms, 0.01, 100);
        Assert.True(median <= p90, $"median {median} ms above p90 {p90} ms");
    }
}
