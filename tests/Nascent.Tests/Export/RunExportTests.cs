using Nascent.Core;
using Nascent.Experiments;
using Nascent.Export;
using Nascent.Nn;
using Nascent.Spaces;
using Nascent.Tests.Data;
using Nascent.Tests.Reports;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;
using Nascent.Experiments.Execution;
using Nascent.Experiments.Search;
using Nascent.Experiments.Train;

namespace Nascent.Tests.Export;

public sealed class RunExportTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A train run as <c>nascent train</c> leaves it, with a network whose weights and batch-norm statistics
    /// are not the initial ones (a few training-mode passes and a nudge of every parameter).</summary>
    private (string Run, Tensor Input, Tensor Output) WriteTrainRun(Architecture architecture, int channels)
    {
        string folder = Path.Combine(_temp.Path, "train-" + architecture.Space.Name);
        var run = RunDirectory.Create(folder, "train");
        run.WriteJson("config.json", new TrainConfig { Arch = architecture.ToString(), Space = architecture.Space.Name,
            Data = new DataSettings { Dataset = "mnist" }, Training = new TrainingSettings { Channels = channels, Cells = 1 }, Nodes = (architecture.Space as EnasMicroSpace)?.Nodes ?? EnasMicroSpace.DefaultNodes, Out = run.Path });
        run.WriteJson("result.json", new SearchResult("train", "train", architecture.Space.Name, "mnist", 0,
            new BestArchitecture(architecture.ToString(), 91.5, 90.25, 1234), 1, 0, 2.0,
            [new RankedArchitecture(architecture.ToString(), 91.5, 1234)], run.Path));
        manual_seed(7);
        using var network = NetworkFactory.CreateStandalone(architecture, new NetworkOptions(1, 10, channels, 1));
        using (no_grad())
        {
            network.train();
            for (int i = 0; i < 3; i++) network.call(randn(8, 1, 28, 28)).Dispose();
            foreach (var p in network.parameters()) p.add_(randn_like(p) * 0.1);
        }
        TrainedModel.Save(network, run.File(TrainedModel.WeightsFile));
        network.eval();
        var input = randn(4, 1, 28, 28);
        using (no_grad()) return (run.Path, input, network.call(input));
    }

    public static TheoryData<string> Spaces => new() { "nb201", "enas-micro" };

    [Theory]
    [MemberData(nameof(Spaces))]
    public void Exported_safetensors_and_pt_load_into_a_fresh_network_with_identical_outputs(string spaceName)
    {
        var space = SpaceCatalog.Create(spaceName, 3);
        var architecture = space.Sample(new SeededRandom(11));
        var (run, input, expected) = WriteTrainRun(architecture, channels: 4);
        foreach (var format in new[] { "safetensors", "pt" })
        {
            var outcome = RunExport.Write(run, format, Path.Combine(_temp.Path, $"export-{spaceName}-{format}"));
            string weights = format == "pt" ? "model.pt" : "model.safetensors";
            Assert.Equal([ArchitectureFile.FileName, weights, ModelDescription.FileName, "README.md"], outcome.Files);

            var description = RunDirectory.ReadJson<ModelDescription>(Path.Combine(outcome.Directory, ModelDescription.FileName));
            Assert.Equal(architecture, SpaceCatalog.Create(description.Space, description.Nodes ?? 5).Parse(description.Arch));
            using var fresh = NetworkFactory.CreateStandalone(architecture, description.Network!);
            Assert.Equal(fresh.state_dict().Select(e => (e.Key, string.Join('x', e.Value.shape))),
                description.StateDict.Select(e => (e.Key, string.Join('x', e.Shape))));
            fresh.eval();
            using (no_grad()) Assert.False(expected.eq(fresh.call(input)).all().item<bool>()); // not equal by chance
            if (format == "pt") fresh.load_py(Path.Combine(outcome.Directory, weights));
            else fresh.load_safetensors(Path.Combine(outcome.Directory, weights));
            using var _ = no_grad();
            Assert.True(expected.eq(fresh.call(input)).all().item<bool>(), $"{format} outputs differ");
            Assert.Contains(architecture.ToString(), File.ReadAllText(Path.Combine(outcome.Directory, "README.md")));
        }
    }

    [Theory]
    [MemberData(nameof(Spaces))]
    public void The_json_export_parses_back_to_the_same_architecture_and_train_from_reads_it(string spaceName)
    {
        var space = SpaceCatalog.Create(spaceName, 4);
        string run = Path.Combine(_temp.Path, "search-" + spaceName);
        var result = RunFiles.WriteSearch(run, space, "rs", [30, 70, 50], seed: 3);
        var outcome = RunExport.Write(run, "json");
        Assert.Equal(Path.Combine(run, "export"), outcome.Directory);
        Assert.Equal([ArchitectureFile.FileName], outcome.Files);

        string path = Path.Combine(outcome.Directory, ArchitectureFile.FileName);
        var file = ArchitectureFile.Read(path);
        var best = space.Parse(result.Best.Arch);
        Assert.Equal(best, file.ToArchitecture());
        Assert.Equal(space.Decisions.Select(d => d.Name), file.Decisions.Select(d => d.Name));
        Assert.Equal(best.Choices, file.Decisions.Select(d => d.Option));
        Assert.Equal(Enumerable.Range(0, best.Choices.Count).Select(best.Label), file.Decisions.Select(d => d.Label));
        Assert.Equal(70, file.ValAcc);

        foreach (var from in new[] { outcome.Directory, path })
        {
            var (architecture, dataset) = new TrainConfig { From = from }.Resolve();
            Assert.Equal(best, architecture);
            Assert.Equal("mnist", dataset);
        }
    }

    [Fact]
    public void Decisions_that_disagree_with_the_string_are_refused()
    {
        var architecture = Nb201Space.Instance.Parse("|nor_conv_3x3~0|+|skip_connect~0|none~1|+|avg_pool_3x3~0|nor_conv_1x1~1|nor_conv_3x3~2|");
        var file = ArchitectureFile.Of(architecture);
        var tampered = file with { Decisions = file.Decisions.Select((d, i) => i == 0 ? d with { Option = 1 } : d).ToArray() };
        Assert.Contains("do not match", Assert.Throws<NascentException>(() => tampered.ToArchitecture()).Message);
    }

    [Fact]
    public void Weights_of_a_search_run_or_an_unknown_format_are_clear_errors()
    {
        string run = Path.Combine(_temp.Path, "search");
        RunFiles.WriteSearch(run, Nb201Space.Instance, "rs", [30]);
        Assert.Contains("holds no trained weights", Assert.Throws<NascentException>(() => RunExport.Write(run, "safetensors")).Message);
        Assert.Contains("holds no trained weights", Assert.Throws<NascentException>(() => RunExport.Write(run, "onnx")).Message);
        Assert.Contains("Unknown export format 'tflite'", Assert.Throws<NascentException>(() => RunExport.Write(run, "tflite")).Message);
        Assert.Contains("not found", Assert.Throws<NascentException>(() => RunExport.Write(Path.Combine(_temp.Path, "none"), "json")).Message);
        Assert.False(Directory.Exists(Path.Combine(run, "export")));
    }
}
