using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Nascent.Export;

namespace Nascent.Prediction;

/// <summary>
/// An exported ONNX model run by ONNX Runtime (no TorchSharp, no libtorch). The input's shape comes from the graph;
/// the class names from model.json beside the file (<c>nascent export --format onnx</c> writes it), whose input
/// shape must agree with the graph's; without model.json the classes are numbered.
/// </summary>
public sealed class OnnxClassifier : IImageClassifier
{
    private readonly InferenceSession _session;
    private readonly string _input;

    public OnnxClassifier(string modelPath)
    {
        try
        {
            _session = new InferenceSession(modelPath);
        }
        catch (Exception e) when (e is OnnxRuntimeException or IOException or UnauthorizedAccessException)
        {
            throw new NascentException($"{modelPath} is not an ONNX model ONNX Runtime can load ({FirstLine(e.Message)}).");
        }
        try
        {
            if (_session.InputMetadata.Count != 1 || _session.OutputMetadata.Count != 1)
                throw new NascentException($"{modelPath} has {_session.InputMetadata.Count} inputs and {_session.OutputMetadata.Count} outputs: " +
                    "an image classifier has one of each.");
            var (name, input) = _session.InputMetadata.Single();
            var dims = input.Dimensions;
            if (input.ElementType != typeof(float) || dims.Length != 4 || dims[1] is not (1 or 3) || dims[2] < 1 || dims[3] < 1)
                throw new NascentException($"{modelPath}'s input '{name}' is {input.ElementType.Name} [{string.Join(", ", dims)}]: " +
                    "predict needs float32 [batch, 1 or 3 channels, height, width] images.");
            _input = name;
            (Channels, Height, Width) = (dims[1], dims[2], dims[3]);
            int classes = _session.OutputMetadata.Single().Value.Dimensions is [_, var k] && k > 0 ? k : 0;
            string description = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, ModelDescription.FileName);
            if (File.Exists(description))
            {
                var d = RunDirectory.ReadJson<ModelDescription>(description);
                if (!d.InputShape.SequenceEqual([Channels, Height, Width]))
                    throw new NascentException($"{description} gives the input shape {string.Join('x', d.InputShape)}, but {modelPath} takes " +
                        $"{Channels}x{Height}x{Width} (channels x height x width): the two files are not from one export.");
                ClassNames = d.ClassNames ?? Numbered(classes);
            }
            else ClassNames = Numbered(classes);
            if (ClassNames.Count < 2 || (classes > 0 && ClassNames.Count != classes))
                throw new NascentException($"{modelPath} gives {classes} logits for {ClassNames.Count} class names.");
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public IReadOnlyList<string> ClassNames { get; }

    public float[] Logits(float[] pixels, int images)
    {
        var input = new DenseTensor<float>(pixels, [images, Channels, Height, Width]);
        using var results = _session.Run([NamedOnnxValue.CreateFromTensor(_input, input)]);
        return results[0].AsEnumerable<float>().ToArray();
    }

    public void Dispose() => _session.Dispose();

    private static string[] Numbered(int classes) =>
        Enumerable.Range(0, classes).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
