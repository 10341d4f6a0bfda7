using Nascent.Experiments.InstaNasSearch;

namespace Nascent.Export.Onnx;

/// <summary>
/// <c>nascent export RUN_DIR --format onnx</c> for an InstaNAS search: by default the fixed baseline, the fastest
/// fixed selection as accurate as the full meta-graph with its own fine-tuned weights (fixed.dat, its selection from
/// result.json); with <c>--selection</c>, the searched meta-graph (metagraph.dat) under that selection for every
/// image. The per-image controller is not exported: a fixed selection is one static graph.
/// </summary>
public static class InstaNasOnnxExport
{
    public static bool IsInstaNasRun(string runDirectory) =>
        File.Exists(Path.Combine(runDirectory, InstaNasExperiment.MetaGraphFile)) || File.Exists(Path.Combine(runDirectory, InstaNasExperiment.FixedFile));

    public static ExportOutcome Write(string runDirectory, string outDirectory, string? selectionText)
    {
        var config = RunDirectory.ReadJson<InstaNasConfig>(Path.Combine(runDirectory, "config.json"));
        string file = Path.Combine(runDirectory, selectionText is null ? InstaNasExperiment.FixedFile : InstaNasExperiment.MetaGraphFile);
        if (!File.Exists(file))
            throw new NascentException(selectionText is null
                ? $"{runDirectory} keeps no fixed baseline ({InstaNasExperiment.FixedFile}; older runs did not): export the searched meta-graph under one selection with --selection SEL (e.g. ir3e6|ir3e6|...)."
                : $"{runDirectory} holds no {InstaNasExperiment.MetaGraphFile}: the search did not finish.");
        string? fixedSelection = selectionText ?? RunDirectory.ReadJson<InstaNasResult>(Path.Combine(runDirectory, "result.json")).Fixed.Selection;
        var kind = DatasetKinds.Parse(config.Dataset);
        var input = RunExport.InputOf(config.DataOptions());
        var graph = new MetaGraphOptions(input.Channels, kind.Classes(), config.StemChannels, config.Stages);
        using var network = new InstaNasNetwork(graph);
        try
        {
            network.load(file);
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException)
        {
            throw new NascentException($"{file} does not fit the run's meta-graph ({e.Message}): was the run's config.json changed?");
        }
        network.eval();
        var selection = network.Space.Parse(fixedSelection ?? throw new NascentException($"{runDirectory}'s result.json names no fixed selection: give --selection."));
        var onnx = OnnxExport.Build(network, selection, input);

        var run = RunDirectory.Create(outDirectory, "export");
        OnnxExport.Write(onnx, run.File(OnnxExport.FileName));
        var description = new ModelDescription(ModelDescription.CurrentFormat, selection.ToString(), network.Space.Name, null, config.Dataset,
            [input.Channels, input.Height, input.Width], null, OnnxExport.FileName, "onnx", RunExport.StateDict(network.state_dict()),
            RunExport.OnnxRebuild(OnnxExport.FileName), "nascent search --strategy instanas (the fixed selection is retrained there)",
            ClassNames.Of(kind), OnnxSignature.Of(input), graph);
        run.WriteJson(ModelDescription.FileName, description);
        File.WriteAllText(run.File("README.md"), RunExport.Readme(description, runDirectory,
            selectionText is null ? "`nascent search --strategy instanas` (its fixed baseline)" : "`nascent search --strategy instanas` (its meta-graph)"));
        return new ExportOutcome(run.Path, [OnnxExport.FileName, ModelDescription.FileName, "README.md"]);
    }
}
