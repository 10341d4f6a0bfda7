using System.Text.Json;
using Nascent.Prediction;

namespace Nascent.Cli;

/// <summary>`nascent predict MODEL PATH... [--json]`: one line per image, PATH, CLASS and probability.</summary>
internal static class PredictCommand
{
    private sealed record PredictSettings
    {
        [Setting("print JSON lines {\"path\": ..., \"class\": ..., \"probability\": ...} instead of tab-separated lines")]
        public bool Json { get; init; }
    }

    private static readonly JsonSerializerOptions JsonLine = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static NascentCommand Create(CommandContext context)
    {
        var command = new NascentCommand("predict", "classify image files or folders with an exported ONNX model or a train run")
        {
            Details = """
                MODEL: an exported model.onnx (or its export folder; ONNX Runtime runs it, without libtorch), or a
                nascent train run directory (TorchSharp). PATH: image files (png, jpg, jpeg, bmp, webp) or folders,
                searched recursively. Each image is resized (shorter side) and centre-cropped to the model's input,
                grey or RGB as the model takes. One line per image, in path order: PATH<TAB>CLASS<TAB>PROBABILITY
                (the softmax probability of the most probable class).
                """,
        };
        var model = command.AddArgument("MODEL", "model.onnx, an export folder holding it, or a nascent train run");
        var paths = command.AddArguments("PATH", "image files or folders of images");
        var settings = new SettingOptions<PredictSettings>(("--json", nameof(PredictSettings.Json)));
        command.Add(settings);
        command.SetAction(parse =>
        {
            var s = settings.Bind(parse);
            var files = Predictor.ImageFiles(parse.GetRequiredValue(paths));
            using var classifier = Predictor.Open(parse.GetRequiredValue(model));
            foreach (var p in Predictor.Classify(classifier, files))
            {
                context.Cancellation.ThrowIfCancellationRequested();
                context.Output.WriteLine(s.Json
                    ? JsonSerializer.Serialize(new { path = p.Path, @class = p.Class, probability = Math.Round(p.Probability, 6) }, JsonLine)
                    : string.Create(CultureInfo.InvariantCulture, $"{p.Path}\t{p.Class}\t{p.Probability:F4}"));
            }
            return 0;
        });
        return command;
    }
}
