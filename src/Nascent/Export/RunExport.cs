using Nascent.Export.Onnx;
using TorchSharp.PyBridge;
using Nascent.Experiments.Search;
using Nascent.Experiments.Train;

namespace Nascent.Export;

/// <summary>What <c>nascent export</c> wrote, and where.</summary>
public sealed record ExportOutcome(string Directory, IReadOnlyList<string> Files);

/// <summary>
/// <c>nascent export RUN_DIR --format safetensors|pt|onnx|json</c>: the run's best architecture as architecture.json
/// (every format), and for a trained run (<c>nascent train</c> keeps model.safetensors) its weights as safetensors,
/// as a PyTorch state-dict pickle (<c>torch.load</c>) or as an ONNX model (<see cref="OnnxExport"/>), with model.json
/// (network options, state-dict keys and shapes; for ONNX the class names and the graph's signature) and a README
/// saying how to rebuild or run the network. An InstaNAS run exports its fixed selection as ONNX
/// (<see cref="InstaNasOnnxExport"/>).
/// </summary>
public static class RunExport
{
    public static IReadOnlyList<string> Formats { get; } = ["safetensors", "pt", "onnx", "json"];

    public static ExportOutcome Write(string runDirectory, string format, string? outDirectory = null, string? selection = null)
    {
        if (!Formats.Contains(format))
            throw new NascentException($"Unknown export format '{format}': use {string.Join(", ", Formats)}.");
        if (format == "onnx" && InstaNasOnnxExport.IsInstaNasRun(runDirectory))
            return InstaNasOnnxExport.Write(runDirectory, outDirectory ?? Path.Combine(runDirectory, "export"), selection);
        if (selection is not null)
            throw new NascentException("--selection names an InstaNAS selection: it applies to an InstaNAS run exported with --format onnx.");
        var result = RunDirectory.ReadResult(runDirectory, "export");
        if (format == "onnx") RefuseLanguageModel(runDirectory, result);
        var model = format == "json" ? null : TrainedModel.Find(runDirectory)
            ?? throw new NascentException($"{runDirectory} holds no trained weights ({TrainedModel.WeightsFile}): retrain its best with " +
                $"'nascent train --from {runDirectory} --out DIR' and export DIR, or use --format json.");
        var architecture = model?.Architecture ?? RunDirectory.ReadSpace(runDirectory, result).Parse(result.Best.Arch);
        using var network = model?.Build(); // weights that do not fit fail here, before anything is written
        // ONNX: the graph normalises its input with the training split's statistics, read from the run's data.
        var (input, classNames) = format == "onnx" ? TrainingData(runDirectory, result.Dataset) : (null, null);
        var onnx = model is not null && network is not null && input is not null ? OnnxExport.Build(network, input) : null;

        var run = RunDirectory.Create(outDirectory ?? Path.Combine(runDirectory, "export"), "export");
        var files = new List<string> { ArchitectureFile.FileName };
        run.WriteJson(ArchitectureFile.FileName, ArchitectureFile.Of(architecture,
            result.Dataset.StartsWith("table:", StringComparison.Ordinal) ? null : result.Dataset,
            result.Best.ValAcc, result.Best.TestAcc, Path.GetFullPath(runDirectory)));
        if (model is not null && network is not null)
        {
            string weights = format switch { "pt" => "model.pt", "onnx" => OnnxExport.FileName, _ => "model.safetensors" };
            if (onnx is not null) OnnxExport.Write(onnx, run.File(weights));
            else if (format == "pt") network.save_py(run.File(weights));
            else network.save_safetensors(run.File(weights));
            var description = Describe(model, network.state_dict(), weights, format, input, classNames);
            run.WriteJson(ModelDescription.FileName, description);
            File.WriteAllText(run.File("README.md"), Readme(description, runDirectory));
            files.AddRange([weights, ModelDescription.FileName, "README.md"]);
        }
        return new ExportOutcome(run.Path, files);
    }

    /// <summary>Language models (recurrent cells over tokens) have no ONNX export: their graph is a loop over time
    /// steps with a state, which <see cref="OnnxExport"/> does not write.</summary>
    private static void RefuseLanguageModel(string runDirectory, SearchResult result)
    {
        if (File.Exists(Path.Combine(runDirectory, LanguageModelTrainExperiment.WeightsFile)) || result.Space == LanguageModelTrainExperiment.LstmName
            || SpaceCatalog.Create(result.Space, null) is RecurrentCellSpace)
            throw new NascentException($"{runDirectory} holds a language model ({result.Space}): ONNX export covers image classifiers " +
                "(nb201, enas-micro, InstaNAS selections); its weights are in --format safetensors' place, language_model.safetensors.");
    }

    /// <summary>The input of a train run's network (the shape of its data and the per-channel mean and std of its
    /// training split) and its class names: from the run's data.json, or, for a run written before it kept one, by
    /// loading the data as the run loaded it.</summary>
    internal static (OnnxInput Input, IReadOnlyList<string> ClassNames) TrainingData(string runDirectory, string dataset)
    {
        if (RunData.Read(runDirectory) is { } data)
            return (new OnnxInput(data.Channels, data.Height, data.Width, data.Mean, data.Std), data.ClassNames);
        var config = RunDirectory.ReadJson<TrainConfig>(Path.Combine(runDirectory, "config.json"));
        return (InputOf(config.DataOptions(dataset)), ClassNames.Of(DatasetKinds.Parse(dataset)));
    }

    internal static OnnxInput InputOf(DataOptions options)
    {
        using var data = DatasetLoader.Load(options);
        var train = data.Train;
        return new OnnxInput(train.Channels, train.Height, train.Width, train.Mean, train.Std);
    }

    private static ModelDescription Describe(TrainedModel model, IDictionary<string, TorchSharp.torch.Tensor> stateDict, string weights,
        string format, OnnxInput? input, IReadOnlyList<string>? classNames)
    {
        var (channels, height, width, _) = RunData.ShapeOf(Path.GetDirectoryName(model.WeightsPath)!, model.Dataset);
        var a = model.Architecture;
        int? nodes = (a.Space as EnasMicroSpace)?.Nodes;
        var n = model.Network;
        string[] rebuild = format == "onnx" ? OnnxRebuild(weights) :
        [
            $"var architecture = SpaceCatalog.Create(\"{a.Space.Name}\"{(nodes is null ? "" : $", {nodes}")}).Parse(\"{a}\");",
            $"var network = NetworkFactory.CreateStandalone(architecture, new NetworkOptions({n.InputChannels}, {n.Classes}, {n.Channels}, {n.Cells}));",
            format == "pt" ? $"network.load_py(\"{weights}\");" : $"network.load_safetensors(\"{weights}\");",
            "network.eval();",
        ];
        return new ModelDescription(ModelDescription.CurrentFormat, a.ToString(), a.Space.Name, nodes, model.Dataset,
            [channels, height, width], n, weights, format switch { "pt" => "pytorch-pickle", "onnx" => "onnx", _ => "safetensors" },
            StateDict(stateDict), rebuild, "nascent train --from <this folder>",
            classNames, input is null ? null : OnnxSignature.Of(input));
    }

    internal static IReadOnlyList<TensorEntry> StateDict(IDictionary<string, TorchSharp.torch.Tensor> stateDict) =>
        stateDict.Select(e => new TensorEntry(e.Key, e.Value.shape, e.Value.dtype.ToString().ToLowerInvariant())).ToArray();

    /// <summary>The C# that runs an exported ONNX model (Microsoft.ML.OnnxRuntime).</summary>
    internal static string[] OnnxRebuild(string weights) =>
    [
        $"using var session = new InferenceSession(\"{weights}\");",
        $"var pixels = new DenseTensor<float>(values, [batch, channels, height, width]); // bytes / 255f",
        $"using var results = session.Run([NamedOnnxValue.CreateFromTensor(\"{OnnxInput.InputName}\", pixels)]);",
        $"var logits = results[0].AsTensor<float>(); // \"{OnnxInput.OutputName}\", [batch, classes]",
    ];

    /// <summary>README.md of an export folder; <paramref name="trainedBy"/> says which command trained it.</summary>
    internal static string Readme(ModelDescription d, string runDirectory, string trainedBy = "`nascent train`")
    {
        var text = new StringBuilder();
        text.AppendLine($"# Exported Nascent model: {d.Space}");
        text.AppendLine();
        text.AppendLine($"Architecture: `{d.Arch}`");
        text.AppendLine();
        int classes = d.Network?.Classes ?? d.MetaGraph?.Classes ?? 0;
        text.AppendLine($"Trained on {d.Dataset} by {trainedBy} in {Path.GetFullPath(runDirectory)}; input {string.Join('x', d.InputShape)} " +
            $"(channels x height x width, batch first when called), {classes} class logits out.");
        text.AppendLine();
        if (File.Exists(Path.Combine(runDirectory, "result.json")) && d.MetaGraph is null)
            text.AppendLine("- `architecture.json`: the architecture string and each decision's choice. `nascent train --from <this folder>` " +
                "(or `--from architecture.json`) trains it again.");
        text.AppendLine(d.WeightsFormat switch
        {
            "safetensors" => $"- `{d.Weights}`: the state dictionary as safetensors ({d.StateDict.Count} tensors); Python: `safetensors.torch.load_file(\"{d.Weights}\")`.",
            "onnx" => $"- `{d.Weights}`: the network as an ONNX model (opset {d.Onnx?.Opset}): input `{d.Onnx?.Input}`, {d.Onnx?.Pixels}; " +
                $"output `{d.Onnx?.Output}`, [batch, classes] logits. Any ONNX runtime runs it; `nascent predict {d.Weights} IMAGES` classifies images.",
            _ => $"- `{d.Weights}`: the state dictionary as a PyTorch pickle ({d.StateDict.Count} tensors); Python: `torch.load(\"{d.Weights}\")`.",
        });
        text.AppendLine($"- `{ModelDescription.FileName}`: network options, input shape, " +
            (d.ClassNames is null ? "" : "class names, the ONNX input's normalisation, ") + "and every state-dict key with its shape and dtype.");
        text.AppendLine();
        text.AppendLine(d.WeightsFormat == "onnx"
            ? "In C# with Microsoft.ML.OnnxRuntime (`using Microsoft.ML.OnnxRuntime; using Microsoft.ML.OnnxRuntime.Tensors;`):"
            : "The keys are Nascent's module names. A PyTorch module with the same structure and names takes them with " +
              "`load_state_dict(state, strict=True)`. In Nascent (C#, `using TorchSharp.PyBridge;`):");
        text.AppendLine();
        foreach (var statement in d.Rebuild) text.AppendLine("    " + statement);
        return text.ToString();
    }
}
