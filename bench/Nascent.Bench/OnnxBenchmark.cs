using System.Text;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Nascent.Core;
using Nascent.Export.Onnx;
using Nascent.Nn;
using Nascent.Spaces;
using static TorchSharp.torch;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;

namespace Nascent.Bench;

/// <summary>
/// ONNX export, one network per family at the CLI's default sizes (NAS-Bench-201 and ENAS micro: 16 channels, 1 cell
/// per stage; InstaNAS: the default meta-graph under its MobileNetV2-like selection) on 1 x 28 x 28 inputs, random
/// weights with batch-norm statistics set away from (0, 1): the largest logit difference between ONNX Runtime and
/// TorchSharp over 64 random images, and the latency of one image (batch 1) in each, interleaved rounds, medians.
/// </summary>
internal static class OnnxBenchmark
{
    public static string Run()
    {
        var table = new StringBuilder();
        table.AppendLine("| network | max \\|ORT - TorchSharp\\| (64 images) | TorchSharp batch 1 | ONNX Runtime batch 1 | ratio |");
        table.AppendLine("|---|---:|---:|---:|---:|");
        var input = new OnnxInput(1, 28, 28, [0.1307f], [0.3081f]);
        var nb201 = Nb201Space.Instance.Parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|");
        var enas = new EnasMicroSpace(5).Sample(new SeededRandom(3));
        foreach (var architecture in new[] { nb201, enas })
        {
            manual_seed(1);
            using var network = NetworkFactory.CreateStandalone(architecture, new NetworkOptions(1, 10, 16, 1));
            Perturb(network);
            table.AppendLine(Row(architecture.Space.Name, OnnxExport.Build(network, input), input, x => network.call(x)));
        }
        manual_seed(1);
        using var metaGraph = new InstaNasNetwork(new MetaGraphOptions(1, 10, MetaGraphOptions.DefaultStemChannels, MetaGraphOptions.DefaultStages));
        Perturb(metaGraph);
        var selection = metaGraph.Space.MobileNetV2;
        var matrix = metaGraph.ToMatrix(selection);
        table.AppendLine(Row("instanas (MobileNetV2-like)", OnnxExport.Build(metaGraph, selection, input), input, x => metaGraph.Forward(x, matrix)));
        table.AppendLine();
        table.AppendLine($"ONNX Runtime with its default graph optimisations (it fuses batch norm into the convolutions) and " +
            $"{get_num_threads()} intra-op threads, as libtorch here; TorchSharp in eval mode without gradients. Ratio: TorchSharp / ONNX Runtime.");
        return table.ToString();
    }

    private static string Row(string name, Onnx.ModelProto model, OnnxInput input, Func<Tensor, Tensor> forward)
    {
        // Both runtimes get the same number of intra-op threads.
        using var options = new SessionOptions { IntraOpNumThreads = get_num_threads() };
        using var session = new InferenceSession(model.ToByteArray(), options);
        using var _ = no_grad();
        manual_seed(2);
        var images = rand(64, 1, 28, 28);
        var normalised = (images - input.Mean[0]) / input.Std[0];
        var expected = forward(normalised).data<float>().ToArray();
        var actual = Ort(session, images);
        double max = expected.Zip(actual, (a, b) => (double)Math.Abs(a - b)).Max();

        var one = images.narrow(0, 0, 1);
        var oneNormalised = normalised.narrow(0, 0, 1);
        void Torch() { using var scope = NewDisposeScope(); forward(oneNormalised).data<float>().ToArray(); }
        void Runtime() => Ort(session, one);
        for (int i = 0; i < 30; i++) { Torch(); Runtime(); }
        var torchRounds = new List<double>();
        var ortRounds = new List<double>();
        for (int round = 0; round < 9; round++)
        {
            torchRounds.Add(Stats.Milliseconds(() => { for (int i = 0; i < 50; i++) Torch(); }) / 50);
            ortRounds.Add(Stats.Milliseconds(() => { for (int i = 0; i < 50; i++) Runtime(); }) / 50);
        }
        double torchMs = Stats.Median(torchRounds), ortMs = Stats.Median(ortRounds);
        return $"| {name} | {max:E1} | {torchMs:F3} ms | {ortMs:F3} ms | {torchMs / ortMs:F1}x |";
    }

    private static float[] Ort(InferenceSession session, Tensor pixels)
    {
        var data = pixels.contiguous().data<float>().ToArray();
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(OnnxInput.InputName,
            new DenseTensor(data, pixels.shape.Select(d => (int)d).ToArray()))]);
        return results[0].AsEnumerable<float>().ToArray();
    }

    private static void Perturb(nn.Module network)
    {
        using var _ = no_grad();
        foreach (var (name, buffer) in network.named_buffers())
        {
            if (name.EndsWith("running_mean", StringComparison.Ordinal)) buffer.copy_(randn_like(buffer) * 0.2);
            else if (name.EndsWith("running_var", StringComparison.Ordinal)) buffer.copy_(rand_like(buffer) + 0.5);
        }
        network.eval();
    }
}
