namespace Nascent.Prediction;

/// <summary>A trained classifier of square images: pixels on the [0, 1] scale (byte / 255), [N, C, H, W] row-major,
/// normalised by the classifier itself; logits out, one row of <see cref="ClassNames"/>.Count per image.</summary>
public interface IImageClassifier : IDisposable
{
    int Channels { get; }
    int Height { get; }
    int Width { get; }
    IReadOnlyList<string> ClassNames { get; }

    float[] Logits(float[] pixels, int images);
}
