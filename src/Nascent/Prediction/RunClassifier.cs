using Nascent.Export;
using Nascent.Export.Onnx;

namespace Nascent.Prediction;

/// <summary>A <c>nascent train</c> run's network in TorchSharp (its model.safetensors), normalising the pixels with
/// the run's training statistics as training did.</summary>
public sealed class RunClassifier : IImageClassifier
{
    private readonly CellNetwork _network;
    private readonly OnnxInput _input;

    public RunClassifier(string runDirectory)
    {
        var model = TrainedModel.Find(runDirectory)
            ?? throw new NascentException($"{runDirectory} holds no trained weights ({TrainedModel.WeightsFile}): give a nascent train run or an exported model.onnx.");
        (_input, ClassNames) = RunExport.TrainingData(runDirectory, model.Dataset);
        _network = model.Build();
    }

    public int Channels => _input.Channels;
    public int Height => _input.Height;
    public int Width => _input.Width;
    public IReadOnlyList<string> ClassNames { get; }

    public float[] Logits(float[] pixels, int images)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = tensor(pixels, [images, Channels, Height, Width]);
        var normalised = (x - tensor(_input.Mean.ToArray()).view(1, -1, 1, 1)) / tensor(_input.Std.ToArray()).view(1, -1, 1, 1);
        return _network.call(normalised).contiguous().data<float>().ToArray();
    }

    public void Dispose() => _network.Dispose();
}
