namespace Nascent.Strategies;

/// <summary>What one controller step measured: the mean reward and accuracy of the sampled policies, their mean
/// module latency, the mean advantage over the thresholded policy, and the mean probability of a module being on.</summary>
public sealed record InstaNasStep(double Reward, double Accuracy, double LatencyMs, double Advantage, double MeanProbability);

/// <summary>
/// InstaNAS (Cheng et al. 2019): a controller that picks an architecture per input image from a one-shot
/// meta-graph, trained by REINFORCE on a reward for accuracy and low latency. Each step, on a batch: the controller's
/// probabilities give a thresholded policy (p ≥ 0.5) and a sampled one (Bernoulli of the bounded probabilities); the
/// meta-graph classifies the batch under both (without gradients); each image's reward is the shaped latency term
/// times <see cref="InstaNasOptions.PositiveReward"/> when right and <see cref="InstaNasOptions.NegativeReward"/>
/// when wrong (<see cref="Rewards"/>); the advantage is the sampled reward minus the thresholded one (self-critical
/// baseline); the loss is the advantage-weighted negative log-likelihood minus the entropy bonus. The meta-graph is
/// not trained here: the experiment alternates these steps with fine-tuning it on <see cref="SampleShuffled"/>.
/// The entropy bonus is the Bernoulli entropy of the bounded probabilities (InstaNAS's code keeps only its -p log p
/// half).
/// </summary>
public sealed class InstaNas : IDisposable
{
    /// <summary>InstaNAS runs as an experiment of its own (a meta-graph, its controller and fine-tuning), not
    /// through ask and tell.</summary>
    public static StrategyDescriptor Descriptor { get; } = new StrategyDescriptor<InstaNasOptions>
    {
        Name = "instanas", Kind = StrategyKind.PerInstance, Spaces = ["instanas"],
        Summary = "InstaNAS: a controller choosing an architecture per input image from a one-shot meta-graph",
    };

    private readonly optim.Optimizer _optimizer;
    private readonly Generator _generator;

    public InstaNas(InstaNasPolicyNetwork controller, InstaNasOptions options, ulong seed)
    {
        options.Validate();
        Controller = controller;
        Options = options;
        _optimizer = optim.Adam(controller.parameters(), options.LearningRate);
        _generator = new Generator(seed);
    }

    public InstaNasPolicyNetwork Controller { get; }
    public InstaNasOptions Options { get; }

    /// <summary>InstaNAS's reward per image: the latency term is a parabola that is 1 midway between the bounds and 0
    /// at and beyond them, -(t - upper)(t - lower) / ((upper - lower)² / 4) clamped at 0, raised to the latency
    /// exponent; a right prediction earns it times the positive factor, a wrong one the fixed negative reward.</summary>
    public static Tensor Rewards(Tensor correct, Tensor latencyMs, double lower, double upper, InstaNasOptions options)
    {
        using var scope = NewDisposeScope();
        double peak = (upper - lower) * (upper - lower) / 4;
        var shaped = latencyMs.sub(upper).mul(latencyMs.sub(lower)).div(-peak).clamp_min(0).pow(options.LatencyExponent);
        var right = shaped.mul(options.PositiveReward);
        return where(correct, right, full_like(right, options.NegativeReward)).MoveToOuterDisposeScope();
    }

    /// <summary>The self-critical advantage: the sampled policy's reward minus the thresholded policy's.</summary>
    public static Tensor Advantage(Tensor sampledReward, Tensor thresholdedReward) => sampledReward.sub(thresholdedReward);

    /// <summary>The bounds at <paramref name="progress"/> (0 at the first epoch, 1 at the last) of the curriculum:
    /// lower = the cheapest selection's module latency; upper from <see cref="InstaNasOptions.UpperStart"/> x the full
    /// meta-graph's down to <see cref="InstaNasOptions.UpperEnd"/> x the MobileNetV2-like one's, never below lower.</summary>
    public (double Lower, double Upper) Bounds(double progress, (double Max, double Min, double MobileNetV2) baselines)
    {
        double start = Options.UpperStart * baselines.Max, end = Options.UpperEnd * baselines.MobileNetV2;
        double upper = start - (start - end) * Math.Clamp(progress, 0, 1);
        double lower = baselines.Min;
        return (lower, Math.Max(upper, lower * 1.05 + 1e-6));
    }

    /// <summary>Policies sampled from the bounded probabilities and shuffled across the batch (InstaNAS fine-tunes the
    /// meta-graph on such policies, so that it serves the controller's distribution, not each image's own choice).</summary>
    public Tensor SampleShuffled(Tensor images)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        Controller.eval();
        var bounded = Bound(Controller.call(images));
        var sampled = bernoulli(bounded, _generator);
        var order = randperm(images.shape[0], generator: _generator);
        return sampled.index_select(0, order).MoveToOuterDisposeScope();
    }

    /// <summary>One REINFORCE step of the controller on a batch. <paramref name="classify"/> runs the meta-graph
    /// under per-image policies (masks [N, blocks, modules]) and returns logits; <paramref name="latencyMs"/> gives
    /// each image's module latency under a policy; <paramref name="reward"/> is <see cref="Rewards"/> unless a test
    /// isolates another one.</summary>
    public InstaNasStep Step(Tensor images, Tensor labels, Func<Tensor, Tensor> classify, Func<Tensor, Tensor> latencyMs,
        double lower, double upper, Func<Tensor, Tensor, Tensor>? reward = null)
    {
        reward ??= (correct, latency) => Rewards(correct, latency, lower, upper, Options);
        using var scope = NewDisposeScope();
        Controller.train();
        var probabilities = Controller.call(images);
        var bounded = Bound(probabilities);
        Tensor thresholded, sampled, advantage, sampledReward, sampledCorrect, sampledLatency;
        using (no_grad())
        {
            thresholded = probabilities.ge(0.5).to_type(ScalarType.Float32);
            sampled = bernoulli(bounded, _generator);
            var thresholdedCorrect = classify(thresholded).argmax(1).eq(labels);
            sampledCorrect = classify(sampled).argmax(1).eq(labels);
            sampledLatency = latencyMs(sampled);
            sampledReward = reward(sampledCorrect, sampledLatency);
            advantage = Advantage(sampledReward, reward(thresholdedCorrect, latencyMs(thresholded)));
        }
        var clamped = bounded.clamp(1e-6, 1 - 1e-6);
        var logLikelihood = sampled.mul(clamped.log()).add(sampled.neg().add(1).mul(clamped.neg().add(1).log())).sum([1, 2]);
        var entropy = clamped.mul(clamped.log()).add(clamped.neg().add(1).mul(clamped.neg().add(1).log())).neg().sum();
        var loss = logLikelihood.mul(advantage).sum().neg().sub(entropy.mul(Options.EntropyWeight)).div(images.shape[0]);
        Controller.zero_grad();
        loss.backward();
        _optimizer.step();
        return new InstaNasStep(sampledReward.mean().item<float>(), sampledCorrect.to_type(ScalarType.Float32).mean().item<float>() * 100,
            sampledLatency.mean().item<float>(), advantage.mean().item<float>(), probabilities.mean().item<float>());
    }

    private Tensor Bound(Tensor probabilities) => probabilities.mul(Options.Alpha).add(probabilities.neg().add(1).mul(1 - Options.Alpha));

    public void Dispose()
    {
        _optimizer.Dispose();
        _generator.Dispose();
    }
}
