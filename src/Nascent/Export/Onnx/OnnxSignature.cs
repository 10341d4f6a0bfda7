namespace Nascent.Export.Onnx;

/// <summary>How to call an exported ONNX model (model.json's <c>onnx</c>): opset, the input's and output's names, the
/// symbolic batch dimension, what the input's values are, and the normalisation the graph applies to them.</summary>
public sealed record OnnxSignature(int Opset, string Input, string Output, string BatchDimension, string Pixels,
    IReadOnlyList<float> Mean, IReadOnlyList<float> Std)
{
    public const string PixelScale = "float32 in [0, 1] (byte / 255), [batch, channels, height, width]; the graph subtracts mean and divides by std per channel";

    public static OnnxSignature Of(OnnxInput input) =>
        new(OnnxGraph.Opset, OnnxInput.InputName, OnnxInput.OutputName, OnnxGraph.BatchDimension, PixelScale, input.Mean, input.Std);
}
