using Nascent.Nn;
using Nascent.Spaces;
using static TorchSharp.torch;

namespace Nascent.Tests.Nn;

/// <summary>The ENAS micro child as ENAS builds it (melodyguan/enas src/cifar10/micro_child.py).</summary>
public sealed class EnasMicroCellTests
{
    private const int C = 4;
    private static readonly NetworkOptions Small = new(InputChannels: 1, Classes: 10, Channels: C, Cells: 1, TrackRunningStats: false);

    [Fact]
    public void A_separable_convolution_is_relu_depthwise_pointwise_bn_twice()
    {
        using var conv = new SeparableConv(C, 5, trackRunningStats: false);
        var names = conv.named_parameters().Select(p => p.name).ToList();
        Assert.Equal(["stages.0.depthwise.weight", "stages.0.pointwise.weight", "stages.0.bn.weight", "stages.0.bn.bias",
            "stages.1.depthwise.weight", "stages.1.pointwise.weight", "stages.1.bn.weight", "stages.1.bn.bias"], names);
        Assert.Equal(2 * (5 * 5 * C + C * C + 2 * C), conv.parameters().Sum(p => p.numel()));

        // In a child: a cell of one node, sep_conv_3x3 twice, holds four depthwise convolutions.
        var space = new EnasMicroSpace(1);
        var architecture = space.Parse("normal: (sep_conv_3x3~0 sep_conv_3x3~1); reduce: (identity~0 identity~1)");
        using var child = NetworkFactory.CreateStandalone(architecture, Small);
        var normalCell = child.named_parameters().Select(p => p.name).Where(n => n.StartsWith("cells.0.") && n.Contains(".depthwise.")).ToList();
        Assert.Equal(4, normalCell.Count);
    }

    [Fact]
    public void A_node_slot_uses_the_weights_of_the_input_it_chose_and_only_those_get_gradients()
    {
        var space = new EnasMicroSpace(2);
        manual_seed(2);
        using var supernet = NetworkFactory.CreateSupernet(space, Small);
        using var images = randn(8, 1, 28, 28);
        using var labels = randint(0, 10, 8);
        string reduce = "; reduce: (identity~0 identity~1) (identity~2 identity~1)";
        // Node 2's first slot applies sep_conv_3x3 to input 0 or to input 1; nothing else differs.
        var fromInput0 = space.Parse("normal: (sep_conv_3x3~0 identity~1) (identity~2 identity~1)" + reduce);
        var fromInput1 = space.Parse("normal: (sep_conv_3x3~1 identity~1) (identity~2 identity~1)" + reduce);
        var slot = "cells.0.ops.0.";
        foreach (var (architecture, used, unused) in new[] { (fromInput0, "sep_conv_3x3_from0", "sep_conv_3x3_from1"), (fromInput1, "sep_conv_3x3_from1", "sep_conv_3x3_from0") })
        {
            supernet.zero_grad();
            using (var loss = nn.functional.cross_entropy(supernet.Forward(images, architecture), labels)) loss.backward();
            var withGradient = supernet.named_parameters().Where(p => p.parameter.grad is not null).Select(p => p.name).ToHashSet();
            var usedNames = supernet.named_parameters().Select(p => p.name).Where(n => n.StartsWith(slot + used + ".")).ToList();
            var unusedNames = supernet.named_parameters().Select(p => p.name).Where(n => n.StartsWith(slot + unused + ".")).ToList();
            Assert.Equal(8, usedNames.Count);
            Assert.Equal(8, unusedNames.Count);
            Assert.All(usedNames, n => Assert.Contains(n, withGradient));
            Assert.All(unusedNames, n => Assert.DoesNotContain(n, withGradient));
        }
        // The supernet holds one sep_conv_3x3 per input a slot can choose: 2 for node 2, 3 for node 3.
        var depthwise = supernet.named_parameters().Select(p => p.name)
            .Where(n => n.StartsWith("cells.0.") && n.Contains(".sep_conv_3x3_from") && n.EndsWith("stages.0.depthwise.weight")).ToList();
        Assert.Equal(2 * (2 + 3), depthwise.Count);
    }

    [Fact]
    public void An_input_no_node_reads_is_part_of_the_cell_output()
    {
        var space = new EnasMicroSpace(2);
        // Every node reads input 1 or node 2: input 0 and node 3 are the loose ends (EnasMicroSpace.LooseEnds).
        var architecture = space.Parse("normal: (sep_conv_3x3~1 identity~1) (max_pool_3x3~2 sep_conv_5x5~1); " +
                                       "reduce: (identity~0 identity~1) (identity~2 identity~1)");
        manual_seed(3);
        using var cell = new EnasMicroCell(space, 0, C, false, C, C, track: false, architecture);
        // The concatenation is 2 x C channels: one 1 x 1 convolution of C input channels per loose end.
        var outputConvs = cell.named_parameters().Where(p => p.name.StartsWith("outputConvs.")).ToList();
        Assert.Equal(["outputConvs.0.weight", "outputConvs.3.weight"], outputConvs.Select(p => p.name));
        Assert.Equal(2 * C, outputConvs.Sum(p => p.parameter.shape[1]));

        using var _ = no_grad();
        using var prevPrev = randn(4, C, 6, 6);
        using var prev = randn(4, C, 6, 6);
        using var otherPrevPrev = randn(4, C, 6, 6);
        using var output = cell.Forward(prevPrev, prev, architecture);
        using var changed = cell.Forward(otherPrevPrev, prev, architecture);
        Assert.Equal([4, C, 6, 6], output.shape);
        Assert.False(output.allclose(changed, rtol: 1e-3, atol: 1e-4), "changing the unused input must change the output");
    }
}
