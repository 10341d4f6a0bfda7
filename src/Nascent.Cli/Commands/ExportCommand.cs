using Nascent.Export;

namespace Nascent.Cli;

/// <summary>`nascent export RUN_DIR --format safetensors|pt|onnx|json [--selection SEL] [--out DIR]`.</summary>
internal static class ExportCommand
{
    private sealed record ExportSettings
    {
        [Setting("json: the best architecture, architecture.json (its string and its decisions); safetensors: also the " +
                 "trained weights (a nascent train run) as model.safetensors; pt: also the trained weights as model.pt " +
                 "(a state dict torch.load reads); onnx: the trained network as model.onnx (ONNX Runtime runs it; an " +
                 "InstaNAS run gives its fixed selection)")]
        public string? Format { get; init; }
        [Setting("with --format onnx on an InstaNAS run: export the searched meta-graph under this selection (e.g. " +
                 "ir3e6|ir3e6|basic) instead of the fixed baseline")]
        public string? Selection { get; init; }
        [Setting("export folder (default RUN_DIR/export)")]
        public string? Out { get; init; }
    }

    public static NascentCommand Create(CommandContext context)
    {
        var command = new NascentCommand("export", "export a run's best architecture (json) and a trained run's weights (safetensors, pt) or network (onnx)")
        {
            Details = """
                Weights come with model.json (network options, input shape, state-dict keys and shapes) and a README
                on rebuilding the network. 'nascent train --from DIR' trains an exported architecture again.
                ONNX (opset 17, dynamic batch): input 'input', float32 pixels in [0, 1], normalised inside the graph;
                output 'logits'; model.json adds the class names. 'nascent predict DIR/model.onnx IMAGES' runs it.
                """,
        };
        var run = command.AddArgument("RUN_DIR", "a finished run (a search, a nascent train run for weights, an InstaNAS search for onnx)");
        var settings = new SettingOptions<ExportSettings>(
            ("--format safetensors|pt|onnx|json", nameof(ExportSettings.Format)),
            ("--selection SEL", nameof(ExportSettings.Selection)),
            ("--out DIR", nameof(ExportSettings.Out)));
        command.Add(settings);
        command.SetAction(parse =>
        {
            var s = settings.Bind(parse);
            string format = s.Format ?? throw new NascentException("nascent export needs --format safetensors, pt, onnx or json.");
            var outcome = RunExport.Write(parse.GetRequiredValue(run), format, s.Out, s.Selection);
            context.Output.WriteLine($"exported to: {outcome.Directory} ({string.Join(", ", outcome.Files)})");
            return 0;
        });
        return command;
    }
}
