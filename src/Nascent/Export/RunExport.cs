using System.Text;
using Nascent.Core;
using Nascent.Data;
using Nascent.Experiments;
using Nascent.Spaces;
using TorchSharp.PyBridge;
using Nascent.Experiments.Execution;

namespace Nascent.Export;

/// <summary>What <c>nascent export</c> wrote, and where.</summary>
public sealed record ExportOutcome(string Directory, IReadOnlyList<string> Files);

/// <summary>
/// <c>nascent export RUN_DIR --format safetensors|pt|json</c>: the run's best architecture as architecture.json
/// (every format), and for a trained run (<c>nascent train</c> keeps model.safetensors) its weights as safetensors
/// or as a PyTorch state-dict pickle (<c>torch.load</c>), with model.json (network options, state-dict keys and
/// shapes) and a README saying how to rebuild the network.
/// </summary>
public static class RunExport
{
    public static IReadOnlyList<string> Formats { get; } = ["safetensors", "pt", "json"];

    public static ExportOutcome Write(string runDirectory, string format, string? outDirectory = null)
    {
        if (!Formats.Contains(format))
            throw new NascentException($"Unknown export format '{format}': use {string.Join(", ", Formats)}.");
        var result = RunDirectory.ReadResult(runDirectory, "export");
        var model = format == "json" ? null : TrainedModel.Find(runDirectory)
            ?? throw new NascentException($"{runDirectory} holds no trained weights ({TrainedModel.WeightsFile}): retrain its best with " +
                $"'nascent train --from {runDirectory} --out DIR' and export DIR, or use --format json.");
        var architecture = model?.Architecture ?? RunDirectory.ReadSpace(runDirectory, result).Parse(result.Best.Arch);
        using var network = model?.Build(); // weights that do not fit fail here, before anything is written

        var run = RunDirectory.Create(outDirectory ?? Path.Combine(runDirectory, "export"), "export");
        var files = new List<string> { ArchitectureFile.FileName };
        run.WriteJson(ArchitectureFile.FileName, ArchitectureFile.Of(architecture,
            result.Dataset.StartsWith("table:", StringComparison.Ordinal) ? null : result.Dataset,
            result.Best.ValAcc, result.Best.TestAcc, Path.GetFullPath(runDirectory)));
        if (model is not null && network is not null)
        {
            string weights = format == "pt" ? "model.pt" : "model.safetensors";
            if (format == "pt") network.save_py(run.File(weights));
            else network.save_safetensors(run.File(weights));
            var description = Describe(model, network.state_dict(), weights, format);
            run.WriteJson(ModelDescription.FileName, description);
            File.WriteAllText(run.File("README.md"), Readme(description, runDirectory));
            files.AddRange([weights, ModelDescription.FileName, "README.md"]);
        }
        return new ExportOutcome(run.Path, files);
    }

    private static ModelDescription Describe(TrainedModel model, IDictionary<string, TorchSharp.torch.Tensor> stateDict, string weights, string format)
    {
        var (channels, height, width, _) = RunData.ShapeOf(Path.GetDirectoryName(model.WeightsPath)!, model.Dataset);
        var a = model.Architecture;
        int? nodes = (a.Space as EnasMicroSpace)?.Nodes;
        var n = model.Network;
        string[] rebuild =
        [
            $"var architecture = SpaceCatalog.Create(\"{a.Space.Name}\"{(nodes is null ? "" : $", {nodes}")}).Parse(\"{a}\");",
            $"var network = NetworkFactory.CreateStandalone(architecture, new NetworkOptions({n.InputChannels}, {n.Classes}, {n.Channels}, {n.Cells}));",
            format == "pt" ? $"network.load_py(\"{weights}\");" : $"network.load_safetensors(\"{weights}\");",
            "network.eval();",
        ];
        return new ModelDescription(ModelDescription.CurrentFormat, a.ToString(), a.Space.Name, nodes, model.Dataset,
            [channels, height, width], n, weights, format == "pt" ? "pytorch-pickle" : "safetensors",
            stateDict.Select(e => new TensorEntry(e.Key, e.Value.shape, e.Value.dtype.ToString().ToLowerInvariant())).ToArray(),
            rebuild, "nascent train --from <this folder>");
    }

    private static string Readme(ModelDescription d, string runDirectory)
    {
        var text = new StringBuilder();
        text.AppendLine($"# Exported Nascent model: {d.Space}");
        text.AppendLine();
        text.AppendLine($"Architecture: `{d.Arch}`");
        text.AppendLine();
        text.AppendLine($"Trained on {d.Dataset} by `nascent train` in {Path.GetFullPath(runDirectory)}; input {string.Join('x', d.InputShape)} " +
            $"(channels x height x width, batch first when called), {d.Network.Classes} class logits out.");
        text.AppendLine();
        text.AppendLine("- `architecture.json`: the architecture string and each decision's choice. `nascent train --from <this folder>` " +
            "(or `--from architecture.json`) trains it again.");
        text.AppendLine(d.WeightsFormat == "safetensors"
            ? $"- `{d.Weights}`: the state dictionary as safetensors ({d.StateDict.Count} tensors); Python: `safetensors.torch.load_file(\"{d.Weights}\")`."
            : $"- `{d.Weights}`: the state dictionary as a PyTorch pickle ({d.StateDict.Count} tensors); Python: `torch.load(\"{d.Weights}\")`.");
        text.AppendLine($"- `{ModelDescription.FileName}`: network options, input shape, and every state-dict key with its shape and dtype.");
        text.AppendLine();
        text.AppendLine("The keys are Nascent's module names. A PyTorch module with the same structure and names takes them with " +
            "`load_state_dict(state, strict=True)`. In Nascent (C#, `using TorchSharp.PyBridge;`):");
        text.AppendLine();
        foreach (var statement in d.Rebuild) text.AppendLine("    " + statement);
        return text.ToString();
    }
}
