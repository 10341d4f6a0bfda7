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
public sealed record ParsecOptions : IStrategyOptions
{
    [Setting("K: architectures sampled per supernet step", Min = 1)]
    public int Samples { get; init; } = 4;
    [Setting("step size of the π update (unset, auto: 20 / the π updates the search makes, so π can concentrate within any budget)", Min = 0)]
    public double? PriorLearningRate { get; init; }
    /// <summary>With the automatic step, the sum of the step sizes over a whole search: a logit can move at most this
    /// many nats, however many updates the search makes. A fixed step (0.05 before) let π move about 1 nat per 20
    /// updates, so a CPU-sized search of tens of updates ended near uniform (entropy 9.66 -> 9.44 nats in 62 updates);
    /// 20 lets it concentrate within the budget (docs/FINDINGS.md, PARSEC).</summary>
    public const double AutoTotalStep = 20;
    [Setting("update π every N supernet steps", Min = 1)]
    public int PriorEvery { get; init; } = 1;
    [Setting("keep π uniform for the first N supernet steps", Min = 0)]
    public int WarmupSteps { get; init; } = 0;
    [Setting("weight the π update by likelihoods on a validation batch (bilevel)")]
    public bool PriorOnValidation { get; init; } = false;
    [Setting("score the most probable architecture every N steps (0: never)", Min = 0)]
    public int ProbeEvery { get; init; } = 25;
    [Setting("validation images of each probe", Min = 1)]
    public int ProbeImages { get; init; } = 500;
    /// <summary>Samples whose importance weight falls below this get no backward pass: their share of the
    /// gradient is under this fraction. 0 back-propagates every sample.</summary>
    [Setting("samples with a smaller importance weight get no backward pass", Min = 0, Max = 1, MaxExclusive = true)]
    public double MinimumWeight { get; init; } = 1e-6;

    /// <summary>A finished parsec run whose distribution.json π starts from (the same space and nodes): the
    /// distribution's transfer to new data (PARSEC's transfer experiment; section not checked here).</summary>
    [Setting("start π from a finished parsec run's distribution")]
    public string? PriorFrom { get; init; }
    /// <summary>With <see cref="PriorFrom"/>: start the shared weights from that run's supernet.dat too.</summary>
    [Setting("with a prior run: also start the shared weights from it (same channels and cells)")]
    public bool PriorWeights { get; init; }

    public void Validate()
    {
        Settings.Validate(this);
        if (PriorWeights && PriorFrom is null)
            throw NascentException.ForSetting(Settings.KeyOf(GetType(), nameof(PriorWeights)),
                "{setting} loads the shared weights of a prior parsec run: name that run too.");
    }
}
