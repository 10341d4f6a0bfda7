using Nascent.Core;
using Nascent.Nn;
using Nascent.Strategies;
using TorchSharp;
using static TorchSharp.torch;

namespace Nascent.Tests.Strategies;

/// <summary>The controller's training, isolated from the meta-graph: the classifier and latency are functions of
/// the policy that each test defines.</summary>
public sealed class InstaNasTests
{
    private const int Blocks = 4, Modules = 5;

    private static InstaNasPolicyNetwork Controller() => new(1, Blocks, Modules);

    private static Tensor Images(long seed) { manual_seed(seed); return randn(32, 1, 28, 28); }

    /// <summary>Logits that are right (class = label) for the images <paramref name="right"/> says, wrong otherwise.</summary>
    private static Tensor Logits(Tensor labels, Tensor right)
    {
        var correct = nn.functional.one_hot(labels, 10).to_type(ScalarType.Float32);
        var wrong = nn.functional.one_hot(labels.add(1).remainder(10), 10).to_type(ScalarType.Float32);
        return where(right.view(-1, 1), correct, wrong);
    }

    [Fact]
    public void Rewards_follow_InstaNAS_one_at_the_middle_of_the_bounds_zero_outside_and_the_negative_reward_when_wrong()
    {
        var options = new InstaNasOptions(); // +30 right, 0 wrong: the README's published runs
        using var scope = NewDisposeScope();
        var latency = tensor(new float[] { 2, 3, 4, 5, 3 });
        var correct = tensor(new[] { true, true, true, true, false });
        var reward = InstaNas.Rewards(correct, latency, lower: 2, upper: 4, options).data<float>().ToArray();
        Assert.Equal(new float[] { 0, 30, 0, 0, 0 }, reward);
        var half = InstaNas.Rewards(tensor(new[] { true }), tensor(new float[] { 2.5f }), 2, 4, options).item<float>();
        Assert.Equal(30 * 0.75f, half, 4); // -(2.5-4)(2.5-2)/((4-2)^2/4) = 0.75
        var codeDefaults = options with { PositiveReward = 10, NegativeReward = -10 }; // search.py:53-54
        Assert.Equal(new float[] { 0, 10, 0, 0, -10 }, InstaNas.Rewards(correct, latency, 2, 4, codeDefaults).data<float>().ToArray());
    }

    /// <summary>The defaults are the README's published run and search.py's, and each setting says where it is written.</summary>
    [Fact]
    public void The_controller_defaults_are_InstaNAS_published_ones_and_each_is_cited_by_file_and_line()
    {
        var options = new InstaNasOptions();
        Assert.Equal((5e-4, 0.8, 0.8, 30.0, 0.0, 1.0, 0.7, 0.5), (options.LearningRate, options.Alpha, options.EntropyWeight,
            options.PositiveReward, options.NegativeReward, options.LatencyExponent, options.UpperStart, options.UpperEnd));
        var cited = new[] { typeof(InstaNasOptions).GetProperties(), typeof(Nascent.Experiments.InstaNasSearch.InstaNasConfig).GetProperties()
                .Where(p => p.Name == nameof(Nascent.Experiments.InstaNasSearch.InstaNasConfig.KeepProbability)).ToArray() }
            .SelectMany(p => p).Where(p => p.GetCustomAttributes(typeof(SettingAttribute), false).Length > 0).ToArray();
        Assert.Equal(9, cited.Length);
        foreach (var property in cited)
        {
            var source = ((SettingAttribute)property.GetCustomAttributes(typeof(SettingAttribute), false)[0]).Source;
            Assert.True(source is not null && System.Text.RegularExpressions.Regex.IsMatch(source, @"^AnjieCheng/InstaNAS [\w/]+\.(py|md):\d+"),
                $"{property.Name}: '{source}'");
        }
    }

    [Fact]
    public void The_curriculum_runs_from_0_7_of_Max_to_0_5_of_MobileNetV2_with_Min_below()
    {
        using var controller = Controller();
        using var instaNas = new InstaNas(controller, new InstaNasOptions(), seed: 1);
        var baselines = (Max: 10.0, Min: 1.0, MobileNetV2: 4.0);
        Assert.Equal((1.0, 7.0), instaNas.Bounds(0, baselines));
        Assert.Equal((1.0, 2.0), instaNas.Bounds(1, baselines));
        Assert.Equal((1.0, 4.5), instaNas.Bounds(0.5, baselines));
    }

    [Fact]
    public void One_shot_training_keeps_every_module_for_the_first_half_then_falls_to_the_keep_probability()
    {
        var four = new Nascent.Experiments.InstaNasSearch.InstaNasConfig { PretrainEpochs = 4 };
        Assert.Equal(new[] { 1, 1, 0.75, 0.5 }, Enumerable.Range(0, 4).Select(four.PretrainKeepProbability));
        // InstaNAS's own 164 epochs (pretrain/args.py:88): train.py:31's 1 - (0.5 / 82)(epoch - 82), epochs from 1.
        var official = four with { PretrainEpochs = 164 };
        Assert.Equal(1, official.PretrainKeepProbability(81));
        Assert.Equal(1 - 0.5 / 82 * 18, official.PretrainKeepProbability(99), 12);
        Assert.Equal(0.5, official.PretrainKeepProbability(163), 12);
        Assert.Equal(0.5, (four with { PretrainEpochs = 1 }).PretrainKeepProbability(0));
    }

    [Fact]
    public void The_self_critical_advantage_is_zero_when_the_sampled_policy_equals_the_thresholded_one()
    {
        manual_seed(4);
        using var controller = Controller();
        using (no_grad())
        {
            // Saturated probabilities (exactly 0 or 1 in float) and no bounding: sampling can only reproduce the threshold.
            foreach (var (name, parameter) in controller.named_parameters())
                if (name.StartsWith("logits")) parameter.zero_();
            var bias = controller.named_parameters().First(p => p.name == "logits.bias").parameter;
            bias.copy_(tensor(Enumerable.Range(0, Blocks * Modules).Select(i => i % 3 == 0 ? 60f : -60f).ToArray()));
        }
        using var instaNas = new InstaNas(controller, new InstaNasOptions { Alpha = 1.0, EntropyWeight = 0 }, seed: 1);
        using var scope = NewDisposeScope();
        var images = Images(1);
        var labels = randint(0, 10, 32);
        var policies = new List<Tensor>();
        var step = instaNas.Step(images, labels, masks => { policies.Add(masks.clone().DetachFromDisposeScope()); return Logits(labels, masks.sum([1, 2]).gt(6)); },
            masks => masks.sum([1, 2]), lower: 0, upper: 20);
        Assert.Equal(2, policies.Count);
        Assert.True(policies[0].eq(policies[1]).all().item<bool>());
        foreach (var policy in policies) policy.Dispose();
        Assert.Equal(0.0, step.Advantage, 6);
    }

    [Fact]
    public void With_a_latency_only_reward_the_controller_learns_to_switch_modules_off()
    {
        manual_seed(5);
        using var controller = Controller();
        var before = MeanProbability(controller);
        // Fewer modules, more reward; every prediction right, and accuracy ignored anyway.
        Train(controller, seed: 2, firstImages: 100, (labels, _) => Logits(labels, ones(32, dtype: ScalarType.Bool)),
            (_, latency) => latency.div(-Blocks * Modules));
        var after = MeanProbability(controller);
        Assert.InRange(before, 0.35, 0.65);
        Assert.True(after < 0.15, $"mean probability of a module being on went from {before:F3} to {after:F3}");
    }

    [Fact]
    public void With_an_accuracy_only_reward_on_a_task_that_needs_capacity_the_controller_keeps_modules_on()
    {
        manual_seed(6);
        using var controller = Controller();
        var before = MeanProbability(controller);
        // The task needs capacity: an image is classified right only when at least 60 % of the modules run.
        Train(controller, seed: 3, firstImages: 200, (labels, masks) => Logits(labels, masks.mean([1, 2]).ge(0.6)),
            (correct, _) => correct.to_type(ScalarType.Float32));
        var after = MeanProbability(controller);
        Assert.True(after > 0.85, $"mean probability of a module being on went from {before:F3} to {after:F3}");
        using var scope2 = NewDisposeScope();
        Assert.True(controller.Thresholded(Images(999)).mean().item<float>() >= 0.6f);
    }

    /// <summary>60 controller steps on random images, with the classifier and reward a test defines (the latency of a
    /// policy is its number of modules on).</summary>
    private static void Train(InstaNasPolicyNetwork controller, ulong seed, int firstImages, Func<Tensor, Tensor, Tensor> classify,
        Func<Tensor, Tensor, Tensor> reward)
    {
        using var instaNas = new InstaNas(controller, new InstaNasOptions { LearningRate = 0.01, EntropyWeight = 0.01 }, seed);
        for (int step = 0; step < 60; step++)
        {
            using var scope = NewDisposeScope();
            var images = Images(firstImages + step);
            var labels = randint(0, 10, 32);
            instaNas.Step(images, labels, masks => classify(labels, masks), masks => masks.sum([1, 2]), 0, 1, reward);
        }
    }

    private static double MeanProbability(InstaNasPolicyNetwork controller)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        controller.eval();
        return controller.call(Images(12345)).mean().item<float>();
    }
}
