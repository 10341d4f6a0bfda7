using System.Text.Json;

namespace Nascent.Tests.Cli;

public sealed class InstaNasCliTests
{
    [Theory]
    [InlineData("--stages '16x2': '16x2' is not WIDTHxBLOCKSsSTRIDE", "search", "--strategy", "instanas", "--stages", "16x2")]
    [InlineData("--keep-probability must lie in (0, 1]", "search", "--strategy", "instanas", "--keep-probability", "0")]
    [InlineData("--insta-alpha must lie in (0.5, 1]", "search", "--strategy", "instanas", "--insta-alpha", "0.3")]
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
            var (code, output, errors) = NascentCli.Run("search", "--strategy", "instanas", "--train-subset", "300",
                "--validation-size", "200", "--test-subset", "200", "--stages", "8x1s1,16x1s2", "--stem-channels", "8",
                "--pretrain-epochs", "1", "--epochs", "2", "--candidates", "3", "--ranking-images", "100",
                "--timing-images", "10", "--seed", "2", "--threads", "1", "--out", dir);
            Assert.True(code == 0, errors);
            Assert.Contains("instanas against the full meta-graph", output);
            foreach (var file in new[] { "config.json", "result.json", "trials.db", "latency_table.json", "instanas_curve.csv",
                         "oneshot.dat", "metagraph.dat", "controller.dat", "latency_histogram.png", "module_usage.png" })
                Assert.True(File.Exists(Path.Combine(dir, file)), $"{file} missing");
            using var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "result.json")));
            var insta = result.RootElement.GetProperty("insta_nas");
            Assert.Equal(10, insta.GetProperty("timed_images").GetInt32());
            Assert.True(insta.GetProperty("mean_latency_ms").GetDouble() > 0);
            Assert.Equal(3, File.ReadAllLines(Path.Combine(dir, "instanas_curve.csv")).Length); // header and 2 epochs

            var (inferCode, inferOutput, inferErrors) = NascentCli.Run("infer", "--run", dir, "--timing-images", "5");
            Assert.True(inferCode == 0, inferErrors);
            using var inferred = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "infer.json")));
            var figures = inferred.RootElement.GetProperty("figures");
            Assert.Equal(insta.GetProperty("test_accuracy").GetDouble(), figures.GetProperty("test_accuracy").GetDouble(), 9);
            Assert.Equal(200, inferred.RootElement.GetProperty("images").GetInt32());
            Assert.Contains("test accuracy:", inferOutput);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
