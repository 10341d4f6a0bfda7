using Nascent.Core;
using Nascent.Export.Onnx;
using Nascent.Nn;
using Nascent.Spaces;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Nascent.Tests.Export;

/// <summary>
/// Each exportable family, built small with random weights and non-trivial batch-norm statistics (eval mode),
/// exported to ONNX and run by ONNX Runtime: logits within 1e-4 (max absolute difference) of TorchSharp's, the same
/// argmax, on random pixels and on real MNIST images, at batch 7 and at batch 1 through the same file.
/// </summary>
[Collection(MnistCollection.Name)]
public sealed class OnnxExportTests(MnistFixture mnist, ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;

    /// <summary>Seven random images and seven real MNIST test images, as [0, 1] pixels; the export's normalisation
    /// is the MNIST training split's.</summary>
    private (OnnxInput Input, Tensor Random, Tensor Real) Inputs(int seed)
    {
        var test = mnist.Splits.Test;
        var input = new OnnxInput(1, 28, 28, test.Mean, test.Std);
        manual_seed(seed);
        var random = rand(7, 1, 28, 28);
        var (images, _) = test.Slice(seed * 7 % 500, 7);
        var real = (images * tensor(test.Std.ToArray()).view(1, -1, 1, 1) + tensor(test.Mean.ToArray()).view(1, -1, 1, 1)).clamp(0, 1);
        return (input, random, real);
    }

    private void Check(string family, string what, Onnx.ModelProto model, OnnxInput input, Tensor random, Tensor real, Func<Tensor, Tensor> forward)
    {
        foreach (var (name, pixels) in new[] { ("random", random), ("MNIST", real) })
        {
            var (difference, sameArgmax) = OnnxRuntimeCheck.Compare(model, input, pixels, forward);
            output.WriteLine($"onnx-diff {family} {what} {name}: max |ORT - TorchSharp| = {difference:E2}");
            Assert.True(difference <= Tolerance, $"{family} {what} on {name} images: max difference {difference:E3}");
            Assert.True(sameArgmax, $"{family} {what} on {name} images: argmax differs");
        }
    }

    public static TheoryData<string> Nb201Architectures => new()
    {
        "|nor_conv_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|avg_pool_3x3~0|nor_conv_3x3~1|skip_connect~2|",
        // node 1 receives only none: it is zero, and the operations on its out-edges still apply to it
        "|none~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_1x1~1|none~2|",
        // nothing reaches the output: the cell's output is zero
        "|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|",
    };

    [Theory]
    [MemberData(nameof(Nb201Architectures))]
    public void Nb201_networks_match_TorchSharp_in_OnnxRuntime(string arch)
    {
        var architecture = Nb201Space.Instance.Parse(arch);
        manual_seed(3);
        using var network = NetworkFactory.CreateStandalone(architecture, new NetworkOptions(1, 10, 6, 1));
        OnnxRuntimeCheck.Perturb(network, 4);
        var (input, random, real) = Inputs(1);
        var model = OnnxExport.Build(network, input);
        Check("nb201", arch, model, input, random, real, x => network.call(x));

        // opset 17, the batch dimension symbolic, and the weights under their state-dict names
        Assert.Equal(17, model.OpsetImport.Single().Version);
        Assert.Equal("batch", model.Graph.Input.Single().Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal("batch", model.Graph.Output.Single().Type.TensorType.Shape.Dim[0].DimParam);
        var initializers = model.Graph.Initializer.Select(i => i.Name).ToHashSet();
        Assert.Contains("stem.conv.weight", initializers);
        Assert.Contains("stem.bn.running_var", initializers);
        Assert.Contains("classifier.weight", initializers);
        Assert.Equal(["Sub", "Div"], model.Graph.Node.Take(2).Select(n => n.OpType));
    }

    [Theory]
    [InlineData(3, 21)]
    [InlineData(5, 22)]
    [InlineData(5, 23)]
    public void Enas_micro_networks_match_TorchSharp_in_OnnxRuntime(int nodes, int seed)
    {
        var space = new EnasMicroSpace(nodes);
        var architecture = space.Sample(new SeededRandom((ulong)seed));
        manual_seed(seed);
        using var network = NetworkFactory.CreateStandalone(architecture, new NetworkOptions(1, 10, 6, 1));
        OnnxRuntimeCheck.Perturb(network, seed + 1);
        var (input, random, real) = Inputs(seed % 5);
        Check("enas-micro", architecture.ToString(), OnnxExport.Build(network, input), input, random, real, x => network.call(x));
    }

    public static TheoryData<string> InstaNasSelections => new() { "mobilenetv2", "full", "empty", "random" };

    [Theory]
    [MemberData(nameof(InstaNasSelections))]
    public void InstaNas_fixed_selections_match_TorchSharp_in_OnnxRuntime(string which)
    {
        manual_seed(5);
        // keeps-shape blocks (a residual) and shape-changing ones (a default module when none is on)
        using var network = new InstaNasNetwork(new MetaGraphOptions(1, 10, 8, "8x1s1,12x2s2,16x1s2"));
        OnnxRuntimeCheck.Perturb(network, 6);
        var space = network.Space;
        var selection = which switch
        {
            "mobilenetv2" => space.MobileNetV2, // ir3e6 in every block
            "full" => space.Full,
            "empty" => space.Empty,
            _ => space.Sample(new SeededRandom(9)),
        };
        var (input, random, real) = Inputs(2);
        var matrix = network.ToMatrix(selection);
        Check("instanas", $"{which} {selection}", OnnxExport.Build(network, selection, input), input, random, real,
            x => network.Forward(x, matrix));
    }

    [Fact]
    public void A_supernet_is_refused()
    {
        using var supernet = NetworkFactory.CreateSupernet(Nb201Space.Instance, new NetworkOptions(1, 10, 4, 1, TrackRunningStats: false));
        var input = new OnnxInput(1, 28, 28, [0.1f], [0.3f]);
        Assert.Contains("supernet", Assert.Throws<NascentException>(() => OnnxExport.Build(supernet, input)).Message);
    }
}
