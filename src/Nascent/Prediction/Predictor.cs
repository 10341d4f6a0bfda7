using Nascent.Export.Onnx;

namespace Nascent.Prediction;

/// <summary>
/// <c>nascent predict MODEL PATH...</c>: classifies image files, and the image files under folders (recursively),
/// in ordinal order of their paths. Each image is decoded as training data is (<see cref="ImageDecoder"/>: shorter
/// side resized to the model's size, centre crop, grey or RGB as the model takes), scaled to [0, 1], and classified
/// in batches; the class is the argmax and the probability its softmax.
/// </summary>
public static class Predictor
{
    private const int BatchSize = 64;

    /// <summary>The classifier of <paramref name="model"/>: an .onnx file or a folder holding model.onnx (ONNX
    /// Runtime), or a <c>nascent train</c> run directory (TorchSharp).</summary>
    public static IImageClassifier Open(string model)
    {
        if (File.Exists(model)) return new OnnxClassifier(model);
        if (Directory.Exists(model))
        {
            string onnx = Path.Combine(model, OnnxExport.FileName);
            if (File.Exists(onnx)) return new OnnxClassifier(onnx);
            if (File.Exists(Path.Combine(model, "result.json"))) return OpenRun(model);
            throw new NascentException($"{model} holds neither {OnnxExport.FileName} nor a run's result.json: give an exported model or a nascent train run.");
        }
        throw new NascentException($"Model {model} not found: give an exported model.onnx (nascent export RUN --format onnx) or a nascent train run.");
    }

    // Apart, so that the ONNX path never loads TorchSharp's types.
    private static IImageClassifier OpenRun(string run) => new RunClassifier(run);

    /// <summary>The image files <paramref name="paths"/> name (files as given; folders' image files, recursively),
    /// without repeats, in ordinal order.</summary>
    public static IReadOnlyList<string> ImageFiles(IReadOnlyList<string> paths)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
                files.UnionWith(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(ImageDecoder.IsImageFile));
            else if (File.Exists(path)) files.Add(path);
            else throw new NascentException($"{path} not found: give image files or folders holding them.");
        }
        if (files.Count == 0)
            throw new NascentException($"No images found in {string.Join(", ", paths)} (image files end in {string.Join(", ", ImageDecoder.Extensions)}).");
        return files.ToArray();
    }

    public static IEnumerable<ImagePrediction> Classify(IImageClassifier classifier, IReadOnlyList<string> files)
    {
        if (classifier.Height != classifier.Width)
            throw new NascentException($"The model takes {classifier.Height}x{classifier.Width} images; predict resizes and crops to square inputs only.");
        int size = classifier.Channels * classifier.Height * classifier.Width, classes = classifier.ClassNames.Count;
        for (int start = 0; start < files.Count; start += BatchSize)
        {
            int count = Math.Min(BatchSize, files.Count - start);
            var pixels = new float[count * size];
            for (int i = 0; i < count; i++)
            {
                var bytes = ImageDecoder.Decode(files[start + i], classifier.Height, classifier.Channels);
                for (int k = 0; k < size; k++) pixels[i * size + k] = bytes[k] / 255f;
            }
            var logits = classifier.Logits(pixels, count);
            if (logits.Length != count * classes)
                throw new NascentException($"The model gave {logits.Length / count} logits per image for {classes} class names.");
            for (int i = 0; i < count; i++)
            {
                var (best, probability) = Softmax(logits.AsSpan(i * classes, classes));
                yield return new ImagePrediction(files[start + i], classifier.ClassNames[best], probability);
            }
        }
    }

    /// <summary>The argmax of one row of logits and its softmax probability (the maximum subtracted first).</summary>
    public static (int Class, double Probability) Softmax(ReadOnlySpan<float> logits)
    {
        int best = 0;
        for (int c = 1; c < logits.Length; c++) if (logits[c] > logits[best]) best = c;
        double sum = 0;
        foreach (var l in logits) sum += Math.Exp(l - logits[best]);
        return (best, 1 / sum);
    }
}
