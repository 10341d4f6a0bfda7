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
        var options = new InstaNasOptions();
        using var scope = NewDisposeScope();
        var latency = tensor(new float[] { 2, 3, 4, 5, 3 });
        var correct = tensor(new[] { true, true, true, true, false });
        var reward = InstaNas.Rewards(correct, latency, lower: 2, upper: 4, options).data<float>().ToArray();
        Assert.Equal(new float[] { 0, 10, 0, 0, -10 }, reward);
        var half = InstaNas.Rewards(tensor(new[] { true }), tensor(new float[] { 2.5f }), 2, 4, options).item<float>();
        Assert.Equal(10 * 0.75f, half, 4); // -(2.5-4)(2.5-2)/((4-2)^2/4) = 0.75
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
