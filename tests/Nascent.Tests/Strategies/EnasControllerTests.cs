using Nascent.Core;
using Nascent.Evaluation;
using Nascent.Spaces;
using Nascent.Strategies;
using static TorchSharp.torch;

namespace Nascent.Tests.Strategies;

public sealed class EnasControllerTests
{
    private static Trial Rewarded(Architecture a, double accuracy) => new(0, a, TrialStatus.Done, new Metrics(accuracy));

    [Theory]
    [InlineData("nb201")]
    [InlineData("enas-micro")]
    public void The_controller_only_emits_valid_architectures(string spaceName)
    {
        var space = SpaceCatalog.Create(spaceName);
        using var enas = new Enas(space, 1);
        for (int i = 0; i < 200; i++)
        {
            var a = i % 2 == 0 ? enas.Ask() : enas.NextTrainingPath();
            Assert.Equal(a, space.Create(a.Choices));
        }
    }

    [Fact]
    public void Log_probabilities_form_the_distribution_it_samples_from()
    {
        var space = new TinyCellSpace();
        using var enas = new Enas(space, 2, new ControllerOptions { Temperature = 1, TanhConstant = 2.5, LstmSize = 16 });
        // Exact: teacher-forced probabilities over all 54 architectures sum to one.
        var all = space.Enumerate().ToList();
        Assert.Equal(54, all.Count);
        double[] p;
        using (no_grad())
            p = all.Select(a => { using var pass = enas.Controller.Run(forced: a.Choices); return Math.Exp(pass.LogProbability.item<float>()); }).ToArray();
        Assert.Equal(1.0, p.Sum(), 4);
        // Sampled frequencies agree with those probabilities (total variation distance, 20,000 samples).
        var counts = all.ToDictionary(a => a, _ => 0);
        const int samples = 20000;
        for (int i = 0; i < samples; i++) counts[enas.Ask()]++;
        double tv = 0.5 * all.Select((a, k) => Math.Abs(counts[a] / (double)samples - p[k])).Sum();
        Assert.True(tv < 0.03, $"total variation {tv:F4}");
    }

    [Theory]
    [InlineData("nb201", 1)]
    [InlineData("enas-micro", 1)]
    [InlineData("enas-micro", 2)]
    public void The_managed_sampler_runs_the_same_forward_as_the_torch_controller(string spaceName, int layers)
    {
        var space = SpaceCatalog.Create(spaceName);
        var options = new ControllerOptions { LstmLayers = layers, LstmSize = 32 };
        using var controller = new LstmController(space, options, new SeededRandom(3));
        // Move the weights off ENAS's small uniform initialisation so differences would show.
        using (no_grad())
            foreach (var parameter in controller.parameters()) parameter.mul_(8);
        var sampler = controller.Snapshot();
        var random = new SeededRandom(4);
        for (int n = 0; n < 20; n++)
        {
            var sampled = n == 0 ? sampler.Run(greedy: true) : sampler.Run(random);
            Assert.Equal(sampled.Choices, space.Create(sampled.Choices).Choices);
            using var _ = no_grad();
            using var pass = controller.Run(forced: sampled.Choices);
            Assert.Equal(pass.LogProbability.item<float>(), sampled.LogProbability, 3);
            Assert.Equal(pass.Entropy.item<float>(), sampled.Entropy, 3);
            var hidden = pass.Hidden.data<float>().ToArray();
            var managed = sampled.Hidden.SelectMany(h => h).ToArray();
            Assert.Equal(hidden.Length, managed.Length);
            Assert.True(hidden.Zip(managed).All(p => Math.Abs(p.First - p.Second) < 1e-4), "hidden states differ");
            if (n == 0)
            {
                using var greedy = controller.Run(greedy: true);
                Assert.Equal(greedy.Choices, sampled.Choices);
            }
        }
    }

    [Theory]
    [InlineData(true, 0.30)]   // ENAS's defaults bound operation logits (c = 1.1 / 2.5): at most about 0.376 per op
    [InlineData(false, 0.60)]  // without the tanh bound the controller can concentrate further
    public void A_reward_that_favours_one_operation_raises_its_probability_well_above_chance(bool enasDefaults, double expected)
    {
        var space = Nb201Space.Instance;
        var options = enasDefaults ? new ControllerOptions { LearningRate = 0.01 }
            : new ControllerOptions { LearningRate = 0.01, Temperature = 0, TanhConstant = 0 };
        using var enas = new Enas(space, 3, options);
        const int conv3 = 3; // nor_conv_3x3
        double Share() => Enumerable.Range(0, 300).Select(_ => enas.Ask()).Average(a => a.Choices.Count(c => c == conv3) / 6.0);
        double before = Share();
        for (int i = 0; i < 400; i++)
        {
            var a = enas.Ask();
            enas.Tell(Rewarded(a, 100.0 * a.Choices.Count(c => c == conv3) / 6));
        }
        double after = Share();
        Assert.InRange(before, 0.12, 0.28); // chance is 1/5
        Assert.True(after > expected, $"share of nor_conv_3x3 went from {before:F2} to {after:F2}");
        Assert.Equal(40, enas.Updates);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Exported_state_gives_the_same_next_asks_and_updates(bool memory)
    {
        var space = new EnasMicroSpace(3);
        MemoryBufferOptions? buffer = memory ? new MemoryBufferOptions { Size = 5, Replays = 2 } : null;
        using var a = new Enas(space, 4, new ControllerOptions { SamplesPerUpdate = 3 }, buffer);
        for (int i = 0; i < 7; i++) { var x = a.Ask(); a.Tell(Rewarded(x, 10 * i)); }
        using var b = new Enas(space, 99, new ControllerOptions { SamplesPerUpdate = 3 }, buffer);
        b.ImportState(a.ExportState());
        for (int i = 0; i < 5; i++)
        {
            var xa = a.Ask();
            var xb = b.Ask();
            Assert.Equal(xa, xb);
            a.Tell(Rewarded(xa, 50));
            b.Tell(Rewarded(xb, 50));
        }
        Assert.Equal(a.Ask(), b.Ask());
        Assert.Equal(a.Baseline!.Value, b.Baseline!.Value, 8);
    }

    [Fact]
    public void The_same_seed_gives_the_same_asks()
    {
        var space = new EnasMicroSpace();
        using var a = new Enas(space, 5);
        using var b = new Enas(space, 5);
        using var c = new Enas(space, 6);
        var sa = Enumerable.Range(0, 5).Select(_ => a.Ask()).ToList();
        Assert.Equal(sa, Enumerable.Range(0, 5).Select(_ => b.Ask()));
        Assert.NotEqual(sa, Enumerable.Range(0, 5).Select(_ => c.Ask()));
    }

    [Fact]
    public void The_memory_controllers_auxiliary_heads_learn_to_recover_earlier_decisions()
    {
        // One node per cell (8 decisions, 7 auxiliary heads) and 150 updates: the loss falls to 0.72-0.73 of where it
        // started for seeds 7-9 (two nodes and 300 updates: 0.72-0.83, four times as long).
        var space = new EnasMicroSpace(1);
        using var enas = new Enas(space, 7, new ControllerOptions { LearningRate = 0.01, SamplesPerUpdate = 1 },
            new MemoryBufferOptions { AuxiliaryWeight = 1.0, Replays = 2 });
        var probes = Enumerable.Range(0, 20).Select(i => space.Sample(new SeededRandom((ulong)i))).ToList();
        double Loss()
        {
            using var _ = no_grad();
            return probes.Average(p => { using var pass = enas.Controller.Run(forced: p.Choices); return enas.Controller.AuxiliaryLoss(pass).item<float>(); });
        }
        double before = Loss();
        for (int i = 0; i < 150; i++) { var a = enas.Ask(); enas.Tell(Rewarded(a, 50)); }
        double after = Loss();
        Assert.True(after < 0.85 * before, $"auxiliary loss {before:F3} -> {after:F3}");
    }
}
