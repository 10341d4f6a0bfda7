namespace Nascent.Export.Onnx;

/// <summary>
/// What an exported graph takes: float32 images [batch, <see cref="Channels"/>, <see cref="Height"/>,
/// <see cref="Width"/>], pixel values on the [0, 1] scale (byte / 255), as torchvision's ToTensor gives them. The
/// graph itself normalises them with the training split's per-channel <see cref="Mean"/> and <see cref="Std"/>
/// (Sub, Div), so a caller passes plain pixels.
/// </summary>
public sealed record OnnxInput(int Channels, int Height, int Width, IReadOnlyList<float> Mean, IReadOnlyList<float> Std)
{
    public const string InputName = "input", OutputName = "logits";

    public void Validate()
    {
        if (Channels < 1 || Height < 1 || Width < 1)
            throw new Core.NascentException($"An ONNX input needs a positive shape, not {Channels}x{Height}x{Width}.");
        if (Mean.Count != Channels || Std.Count != Channels)
            throw new Core.NascentException($"Give one mean and one std per channel ({Channels}), not {Mean.Count} and {Std.Count}.");
        if (Std.Any(s => !(s > 0)))
            throw new Core.NascentException("Every channel's std must be positive.");
    }
}
