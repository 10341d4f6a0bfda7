using Nascent.Core;
using Nascent.Costs;
using Nascent.Evaluation;
using Nascent.Nn;
using Nascent.Spaces;

namespace Nascent.Tests.Costs;

public sealed class ModelCostTests
{
    /// <summary>The NAS-Bench-201 macro network on CIFAR-10: 16 channels, 5 cells per stage, 32 x 32 images.</summary>
    private static readonly NetworkOptions Cifar10 = new(InputChannels: 3, Classes: 10, Channels: 16, Cells: 5);

    private static Architecture Arch(string text) => Nb201Space.Instance.Parse(text);

    [Fact]
    public void Index_0_of_NAS_Bench_201_costs_what_a_hand_count_of_its_layers_gives()
    {
        // |avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|: two
        // 1 x 1 convolutions (each C*C weights + 2C batch-norm) per cell; a stage's H*W*C*C is 262,144 MACs at every
        // stage (32*32*16*16 = 16*16*32*32 = 8*8*64*64).
        long cells = 5 * 2 * ((16 * 16 + 32) + (32 * 32 + 64) + (64 * 64 + 128));
        long stem = 3 * 16 * 9 + 32;
        long reduction1 = 16 * 32 * 9 + 64 + 32 * 32 * 9 + 64 + 16 * 32;
        long reduction2 = 32 * 64 * 9 + 128 + 64 * 64 * 9 + 128 + 32 * 64;
        long head = 128 + 64 * 10 + 10;
        long parameters = cells + stem + reduction1 + reduction2 + head;

        long cellMacs = 3 * 5 * 2 * 262_144L;
        long stemMacs = 32 * 32 * 16 * 3 * 9;
        long reduction1Macs = 16 * 16 * 32 * (16 * 9 + 32 * 9 + 16);
        long reduction2Macs = 8 * 8 * 64 * (32 * 9 + 64 * 9 + 32);
        long macs = cellMacs + stemMacs + reduction1Macs + reduction2Macs + 64 * 10 + 10;

        var cost = ModelCost.Of(Arch("|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|"),
            Cifar10, 32, 32);

        Assert.Equal(129_306, parameters); // the table's params_cifar10_m, 0.129306
        Assert.Equal(15_647_370, macs);    // the table's flops_cifar10_m, 15.64737
        Assert.Equal(new ModelCost(parameters, macs), cost);
        Assert.Equal(0.129306, cost.ParamsMillions, 9);
        Assert.Equal(15.64737, cost.MFlops, 9);
    }

    [Fact]
    public void Operations_on_edges_fed_only_by_none_still_count_and_none_counts_nothing()
    {
        var options = new NetworkOptions(InputChannels: 1, Classes: 10, Channels: 4, Cells: 1);
        var skeleton = ModelCost.Of(Arch("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"), options, 28, 28);
        // Node 1 receives only none, so the 3 x 3 convolution on 1->3 sees zeros; NAS-Bench-201 still runs and counts it.
        var deadConv = ModelCost.Of(Arch("|none~0|+|none~0|none~1|+|none~0|nor_conv_3x3~1|none~2|"), options, 28, 28);
        var pools = ModelCost.Of(Arch("|avg_pool_3x3~0|+|skip_connect~0|avg_pool_3x3~1|+|skip_connect~0|none~1|none~2|"), options, 28, 28);

        // One conv per cell at 4, 8, 16 channels on 28, 14, 7 pixels: weights C*C*9, batch norm 2C.
        long parameters = (4 * 4 * 9 + 8) + (8 * 8 * 9 + 16) + (16 * 16 * 9 + 32);
        long macs = 28 * 28 * 4 * 4 * 9 + 14 * 14 * 8 * 8 * 9 + 7 * 7 * 16 * 16 * 9;
        Assert.Equal(new ModelCost(parameters, macs), deadConv - skeleton);
        Assert.Equal(skeleton, pools);
    }

    [Fact]
    public void The_cost_table_equals_measuring_each_built_network()
    {
        var random = new SeededRandom(5);
        foreach (var (options, size) in new[] { (Cifar10 with { Cells = 1 }, 32), (new NetworkOptions(1, 10, 4, 2), 28) })
        {
            var table = new Nb201CostTable(options, size, size);
            for (int i = 0; i < 6; i++)
            {
                var architecture = Nb201Space.Instance.Sample(random);
                Assert.Equal(ModelCost.Of(architecture, options, size, size), table.Of(architecture));
            }
        }
    }

    [Theory, InlineData("nb201"), InlineData("enas-micro")]
    public void Parameters_equal_the_networks_own_count_and_convolution_work_grows_with_the_pixels(string spaceName)
    {
        SearchSpace space = spaceName == "nb201" ? Nb201Space.Instance : new EnasMicroSpace(3);
        var architecture = space.Sample(new SeededRandom(2));
        var options = new NetworkOptions(3, 10, 8, 1);
        using var network = NetworkFactory.CreateStandalone(architecture, options);
        var small = ModelCost.Of(architecture, options, 16, 16);
        var large = ModelCost.Of(architecture, options, 32, 32);
        Assert.Equal(network.ParameterCount(), small.Params);
        Assert.Equal(small.Params, large.Params);
        // Four times the pixels: every convolution does four times the work; only the classifier stays the same.
        double ratio = (double)large.Flops / small.Flops;
        Assert.True(ratio is > 3.8 and < 4.0, $"{architecture}: FLOPs ratio {ratio}");
    }

    [Fact]
    public void A_bad_input_size_is_named()
    {
        var architecture = Nb201Space.Instance.Sample(new SeededRandom(2));
        var error = Assert.Throws<NascentException>(() => ModelCost.Of(architecture, new NetworkOptions(1, 10, 4, 1), 0, 28));
        Assert.Contains("input size", error.Message);
    }

    [Nb201Fact]
    public void Every_NAS_Bench_201_row_has_the_params_and_flops_of_our_network()
    {
        string[] columns = ["params_cifar10_m", "flops_cifar10_m", "params_cifar100_m", "flops_cifar100_m"];
        var table = TabularBenchmark.Load([Nb201Data.Accuracy], Nb201Space.Instance, columns);
        Assert.Equal(15625, table.Count);
        var cifar10 = new Nb201CostTable(Cifar10, 32, 32);
        var cifar100 = new Nb201CostTable(Cifar10 with { Classes = 100 }, 32, 32);
        // The table prints params with 6 decimals and MFLOPs with 5: a match is within half the last digit.
        const double paramsTolerance = 0.5e-6 + 1e-12, flopsTolerance = 0.5e-5 + 1e-12;
        var mismatches = new List<string>();
        for (int row = 0; row < table.Count; row++)
        {
            var architecture = table.Architectures[row];
            foreach (var (costs, name) in new[] { (cifar10, "cifar10"), (cifar100, "cifar100") })
            {
                var cost = costs.Of(architecture);
                double paramsM = table.Value(architecture, $"params_{name}_m"), flopsM = table.Value(architecture, $"flops_{name}_m");
                if (Math.Abs(cost.ParamsMillions - paramsM) > paramsTolerance || Math.Abs(cost.MFlops - flopsM) > flopsTolerance)
                    mismatches.Add($"{architecture} {name}: ours {cost.ParamsMillions:F6} M / {cost.MFlops:F5} MFLOPs, table {paramsM} / {flopsM}");
            }
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches, e.g.\n{string.Join("\n", mismatches.Take(5))}");

        // The best CIFAR-100 cell (index 9930), measured on its own built network: 1.288506 M, 184.73025 MFLOPs.
        var best = Arch("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|");
        var measured = ModelCost.Of(best, Cifar10, 32, 32);
        Assert.Equal(table.Value(best, "params_cifar10_m"), measured.ParamsMillions, 6);
        Assert.Equal(table.Value(best, "flops_cifar10_m"), measured.MFlops, 5);
    }
}
