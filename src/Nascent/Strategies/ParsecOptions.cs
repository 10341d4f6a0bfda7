using Nascent.Core;

namespace Nascent.Strategies;

/// <summary>
/// PARSEC's settings. <see cref="Samples"/> is K, the architectures drawn from p(α|π) per supernet step;
/// <see cref="PriorLearningRate"/> the step size of the empirical-Bayes update of the logits π (plain gradient
/// ascent on the ω-weighted Σ log p(α_k|π)); null (the default) sizes the step to the search: <see cref="AutoTotalStep"/>
/// divided by the number of π updates the search will make (<see cref="Parsec.Plan"/>). <see cref="PriorEvery"/> updates π every that many supernet steps and
/// <see cref="WarmupSteps"/> leaves π uniform (fixed) for the first steps, while the shared weights learn enough for
/// the likelihoods to mean something. <see cref="PriorOnValidation"/>: the likelihoods that weight the π update are
/// measured on a validation batch (the paper's bilevel variant) instead of the training batch.
/// <see cref="ProbeEvery"/>: every that many steps the most probable architecture is scored on
/// <see cref="ProbeImages"/> validation images (the search curve; 0 turns it off).
/// </summary>
public sealed record ParsecOptions
{
    public int Samples { get; init; } = 4;
    public double? PriorLearningRate { get; init; }
    /// <summary>With the automatic step, the sum of the step sizes over a whole search: a logit can move at most this
    /// many nats, however many updates the search makes. A fixed step (0.05 before) let π move about 1 nat per 20
    /// updates, so a CPU-sized search of tens of updates ended near uniform (entropy 9.66 -> 9.44 nats in 62 updates);
    /// 20 lets it concentrate within the budget (docs/FINDINGS.md, PARSEC).</summary>
    public const double AutoTotalStep = 20;
    public int PriorEvery { get; init; } = 1;
    public int WarmupSteps { get; init; } = 0;
    public bool PriorOnValidation { get; init; } = false;
    public int ProbeEvery { get; init; } = 25;
    public int ProbeImages { get; init; } = 500;
    /// <summary>Samples whose importance weight falls below this get no backward pass: their share of the
    /// gradient is under this fraction. 0 back-propagates every sample.</summary>
    public double MinimumWeight { get; init; } = 1e-6;

    public void Validate()
    {
        if (Samples < 1) throw new NascentException($"--parsec-samples must be at least 1 (got {Samples}).");
        if (PriorLearningRate is { } lr && (!(lr >= 0) || double.IsInfinity(lr)))
            throw new NascentException($"--parsec-lr must be a non-negative number (got {PriorLearningRate}).");
        if (PriorEvery < 1) throw new NascentException($"--parsec-every must be at least 1 (got {PriorEvery}).");
        if (WarmupSteps < 0) throw new NascentException($"--parsec-warmup must not be negative (got {WarmupSteps}).");
        if (ProbeEvery < 0) throw new NascentException($"--parsec-probe-every must not be negative (got {ProbeEvery}).");
        if (ProbeImages < 1) throw new NascentException($"--parsec-probe-images must be at least 1 (got {ProbeImages}).");
        if (MinimumWeight is < 0 or >= 1) throw new NascentException($"The minimum importance weight must lie in [0, 1) (got {MinimumWeight}).");
    }
}
