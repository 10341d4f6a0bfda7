using Nascent.Export;

namespace Nascent.Cli;

/// <summary>`nascent export RUN_DIR --format safetensors|pt|json [--out DIR]`.</summary>
internal static class ExportCommand
{
    private sealed record ExportSettings
    {
        [Setting("json: the best architecture, architecture.json (its string and its decisions); safetensors: also the " +
                 "trained weights (a nascent train run) as model.safetensors; pt: also the trained weights as model.pt " +
                 "(a state dict torch.load reads)")]
        public string? Format { get; init; }
        [Setting("export folder (default RUN_DIR/export)")]
        public string? Out { get; init; }
    }

    public static NascentCommand Create(CommandContext context)
    {
        var command = new NascentCommand("export", "export a run's best architecture (json) and a trained run's weights (safetensors, pt)")
        {
            Details = """
                Weights come with model.json (network options, input shape, state-dict keys and shapes) and a README
                on rebuilding the network. 'nascent train --from DIR' trains an exported architecture again.
                """,
        };
        var run = command.AddArgument("RUN_DIR", "a finished run (a search, or a nascent train run for weights)");
        var settings = new SettingOptions<ExportSettings>(
            ("--format safetensors|pt|json", nameof(ExportSettings.Format)),
            ("--out DIR", nameof(ExportSettings.Out)));
        command.Add(settings);
        command.SetAction(parse =>
        {
            var s = settings.Bind(parse);
            string format = s.Format ?? throw new NascentException("nascent export needs --format safetensors, pt or json.");
            var outcome = RunExport.Write(parse.GetRequiredValue(run), format, s.Out);
            context.Output.WriteLine($"exported to: {outcome.Directory} ({string.Join(", ", outcome.Files)})");
            return 0;
        });
        return command;
    }
}
