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
            // float32 (torch) against double (managed) sums over up to 40 decisions.
            Assert.Equal(pass.LogProbability.item<float>(), sampled.LogProbability, 1e-4);
            Assert.Equal(pass.Entropy.item<float>(), sampled.Entropy, 1e-4);
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

    /// <summary>The lowest probability the controller gives a target architecture's choice at any decision, each
    /// given the target's earlier choices.</summary>
    private static double LowestChoiceProbability(Enas enas, Architecture target) =>
        enas.Controller.Snapshot().Run(forced: target.Choices).DecisionLogProbabilities.Min(Math.Exp);

    /// <summary>
    /// Issue 18's test: NAS-Bench-201's own ENAS settings (tanh 2.5 and temperature 5 on every operation logit) let
    /// the controller pass 0.9 on the rewarded operation of every edge; ENAS micro's bound (1.1 / 2.5 on operations)
    /// cannot pass 0.376 on five options, however long it trains. The reward is the share of edges holding
    /// nor_conv_3x3. With the official learning rate (0.001) and 20 samples an update it took 536, 543 and 555
    /// updates for seeds 1-3 (30-50 s each here); this test uses 0.01 and 5 samples (58-71 updates for seeds 1-3)
    /// and allows 120.
    /// </summary>
    [Fact]
    public void On_nb201_its_official_settings_concentrate_the_controller_on_the_rewarded_op_of_every_edge()
    {
        var space = Nb201Space.Instance;
        var target = space.Create([3, 3, 3, 3, 3, 3]); // nor_conv_3x3 everywhere
        const int updates = 120;
        double Trained(ControllerOptions options)
        {
            using var enas = new Enas(space, 1, options with { LearningRate = 0.01, SamplesPerUpdate = 5 });
            while (enas.Updates < updates && LowestChoiceProbability(enas, target) <= 0.9)
            {
                var a = enas.Ask();
                enas.Tell(Rewarded(a, 100.0 * a.Choices.Count(c => c == 3) / 6));
            }
            return LowestChoiceProbability(enas, target);
        }
        // ENAS micro's bound without its operation biases, which name micro's operations, not NAS-Bench-201's.
        double nb201 = Trained(ControllerOptions.Nb201), micro = Trained(new ControllerOptions());
        Assert.True(nb201 > 0.9, $"NAS-Bench-201's settings: lowest edge probability {nb201:F3} after {updates} updates");
        double bound = Math.Exp(1.1 / 2.5) / (Math.Exp(1.1 / 2.5) + 4 * Math.Exp(-1.1 / 2.5));
        Assert.InRange(micro, 0.1, bound); // the micro bound, 0.376, held
    }

    [Fact]
    public void On_enas_micro_the_normal_cell_starts_favouring_the_separable_convolutions_as_micro_controller_py_does()
    {
        var space = SpaceCatalog.Create("enas-micro");
        using var enas = new Enas(space, 1); // the space's official settings
        Assert.Equal(ControllerOptions.EnasMicro, enas.Options);
        var sampler = enas.Controller.Snapshot();
        // b_soft = [10, 10, 0, 0, 0] through the bound 1.1 / 2.5, plus [0.25, 0.25, -0.25, -0.25, -0.25] in the
        // normal cell only: sep_conv_3x3 starts at 0.315 there (others 0.123), at 0.256 in the reduce cell.
        double c = 1.1 / 2.5;
        double normal = Math.Exp(c + 0.25) / (2 * Math.Exp(c + 0.25) + 3 * Math.Exp(-0.25)), reduce = Math.Exp(c) / (2 * Math.Exp(c) + 3);
        var random = new SeededRandom(2);
        for (int n = 0; n < 20; n++)
        {
            var sample = sampler.Run(random);
            var forcedSep = sample.Choices.Select((x, i) => space.Decisions[i].Kind == DecisionKind.Operation ? 0 : x).ToArray();
            var run = sampler.Run(forced: forcedSep);
            for (int i = 0; i < space.Decisions.Count; i++)
            {
                if (space.Decisions[i].Kind != DecisionKind.Operation) continue;
                double expected = space.Decisions[i].Group == space.Decisions[0].Group ? normal : reduce;
                Assert.Equal(expected, Math.Exp(run.DecisionLogProbabilities[i]), 0.02);
            }
        }
    }

    [Fact]
    public void Each_space_gets_its_official_controller_settings_and_a_bias_that_does_not_fit_is_refused()
    {
        Assert.Equal(ControllerOptions.Nb201, Enas.Descriptor.DefaultOptionsFor("nb201"));
        Assert.Equal(ControllerOptions.EnasMicro, Enas.Descriptor.DefaultOptionsFor("enas-micro"));
        Assert.Equal(ControllerOptions.EnasRnn, Enas.Descriptor.DefaultOptionsFor("enas-rnn"));
        Assert.Equal(ControllerOptions.Nb201, ((MemoryControllerOptions)Enas.MemoryDescriptor.DefaultOptionsFor("nb201")).Controller);
        Assert.Equal(ControllerOptions.Reinforce, Enas.ReinforceDescriptor.DefaultOptionsFor("nb201"));
        var error = Assert.Throws<NascentException>(() => new Enas(new TinyCellSpace(), 1, ControllerOptions.EnasMicro));
        Assert.Contains("ControllerOptions.OperationBiasInit", error.Message);
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
        // The same asks; the baselines agree to float32 rounding (libtorch's CPU kernels may round the last bit
        // differently for tensors at other addresses: 6e-10 apart here).
        Assert.Equal(a.Baseline!.Value, b.Baseline!.Value, 1e-7);
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

    [Fact]
    public void The_decision_recovery_loss_is_off_by_default_and_enas_memory_summarises_no_such_loss()
    {
        var defaults = new MemoryBufferOptions();
        Assert.Equal(0, defaults.AuxiliaryWeight);
        Assert.False(defaults.TrainsAuxiliaryLoss);
        var options = (MemoryControllerOptions)Enas.MemoryDescriptor.DefaultOptionsFor("nb201");
        Assert.Equal(0, options.Memory.AuxiliaryWeight);
        Assert.DoesNotContain("recovery", Enas.MemoryDescriptor.Summary);
    }

    [Fact]
    public void Without_the_auxiliary_loss_the_memory_controller_has_no_heads_and_without_replays_it_trains_like_enas()
    {
        var space = new EnasMicroSpace(2);
        var controller = new ControllerOptions { LearningRate = 0.01, SamplesPerUpdate = 2 };
        using var vanilla = new Enas(space, 4, controller);
        using var memory = new Enas(space, 4, controller, new MemoryBufferOptions { Replays = 0 });
        using var auxiliary = new Enas(space, 4, controller, new MemoryBufferOptions { Replays = 0, AuxiliaryWeight = 0.5 });
        Assert.False(memory.Controller.HasAuxiliaryHeads);
        Assert.True(auxiliary.Controller.HasAuxiliaryHeads);
        static long Count(Enas e) => e.Controller.parameters().Sum(p => p.numel());
        Assert.Equal(Count(vanilla), Count(memory));
        Assert.True(Count(auxiliary) > Count(vanilla));
        using (var pass = memory.Controller.Run(forced: space.Sample(new SeededRandom(1)).Choices))
            Assert.Throws<InvalidOperationException>(() => memory.Controller.AuxiliaryLoss(pass));

        foreach (var e in new[] { vanilla, memory, auxiliary })
            for (int i = 0; i < 8; i++) { var a = e.Ask(); e.Tell(Rewarded(a, 10 + 10 * a.Choices[0])); }
        Assert.Equal(4, memory.Updates);
        // The same updates as ENAS: no loss term was added; the auxiliary loss moves the shared weights.
        static float[] Weights(Enas e) => e.Controller.parameters().Take(4).SelectMany(p => p.data<float>().ToArray()).ToArray();
        Assert.Equal(Weights(vanilla), Weights(memory));
        Assert.NotEqual(Weights(vanilla), Weights(auxiliary));
    }
}
