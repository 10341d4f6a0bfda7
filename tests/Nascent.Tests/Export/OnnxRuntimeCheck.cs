using Microsoft.ML.OnnxRuntime;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;
using Tensor = TorchSharp.torch.Tensor;
using Nascent.Export.Onnx;
using Onnx;
using Google.Protobuf;
using static TorchSharp.torch;

namespace Nascent.Tests.Export;

/// <summary>Runs an exported model in ONNX Runtime and compares its logits with TorchSharp's on the same pixels.</summary>
internal static class OnnxRuntimeCheck
{
    /// <summary>The largest absolute logit difference between ONNX Runtime on <paramref name="pixels"/> ([N, C, H, W]
    /// on the [0, 1] scale) and <paramref name="forward"/> on the same pixels normalised as the graph does, and
    /// whether every image's argmax agrees. ONNX Runtime runs the whole batch, and then each image alone (batch 1),
    /// through the same session: the batch dimension is dynamic.</summary>
    public static (double MaxDifference, bool SameArgmax) Compare(ModelProto model, OnnxInput input, Tensor pixels, Func<Tensor, Tensor> forward)
    {
        using var session = new InferenceSession(model.ToByteArray());
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var mean = tensor(input.Mean.ToArray()).view(1, -1, 1, 1);
        var std = tensor(input.Std.ToArray()).view(1, -1, 1, 1);
        var expected = forward((pixels - mean) / std);
        long n = pixels.shape[0], classes = expected.shape[1];
        var whole = Run(session, pixels);
        var single = Enumerable.Range(0, (int)n).SelectMany(i => Run(session, pixels.narrow(0, i, 1))).ToArray();
        var torchLogits = expected.contiguous().data<float>().ToArray();
        double max = 0;
        bool sameArgmax = true;
        foreach (var ort in new[] { whole, single })
        {
            Assert.Equal(torchLogits.Length, ort.Length);
            for (int k = 0; k < ort.Length; k++) max = Math.Max(max, Math.Abs(ort[k] - torchLogits[k]));
            for (int i = 0; i < n; i++)
                sameArgmax &= Argmax(ort, i, (int)classes) == Argmax(torchLogits, i, (int)classes);
        }
        return (max, sameArgmax);
    }

    public static float[] Run(InferenceSession session, Tensor pixels)
    {
        var data = pixels.contiguous().data<float>().ToArray();
        var shape = pixels.shape.Select(d => (int)d).ToArray();
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(OnnxInput.InputName, new DenseTensor(data, shape))]);
        return results.Single(r => r.Name == OnnxInput.OutputName).AsEnumerable<float>().ToArray();
    }

    private static int Argmax(float[] logits, int row, int classes)
    {
        int best = 0;
        for (int c = 1; c < classes; c++) if (logits[row * classes + c] > logits[row * classes + best]) best = c;
        return best;
    }

    /// <summary>Makes a freshly initialised network look trained: every parameter nudged, and every batch norm's
    /// running statistics set away from (0, 1), so that eval-mode batch norm is really tested.</summary>
    public static void Perturb(nn.Module network, long seed)
    {
        manual_seed(seed);
        using var _ = no_grad();
        foreach (var p in network.parameters()) p.add_(randn_like(p) * 0.1);
        foreach (var (name, buffer) in network.named_buffers())
        {
            if (name.EndsWith("running_mean", StringComparison.Ordinal)) buffer.copy_(randn_like(buffer) * 0.2);
            else if (name.EndsWith("running_var", StringComparison.Ordinal)) buffer.copy_(rand_like(buffer) + 0.5);
        }
        network.eval();
    }
}
