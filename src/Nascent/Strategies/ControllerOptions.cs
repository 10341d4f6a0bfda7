namespace Nascent.Strategies;

/// <summary>
/// The ENAS controller and its REINFORCE training. Defaults follow ENAS's micro search (melodyguan/enas,
/// cifar10_micro_search.sh): LSTM of 64 units, temperature 5, tanh constant 1.10 reduced 2.5x for operations,
/// entropy weight 1e-4, baseline decay 0.99, Adam at 0.0035, 10 samples per update, 30 updates per epoch.
/// </summary>
public sealed record ControllerOptions : IStrategyOptions
{
    [Setting("controller LSTM units", Min = 1)]
    public int LstmSize { get; init; } = 64;
    [Setting("controller LSTM layers", Min = 1)]
    public int LstmLayers { get; init; } = 1;
    /// <summary>Logits are divided by this before the tanh constant is applied; 0 or less: not used.</summary>
    [Setting("logits are divided by it before the tanh bound; 0: none")]
    public double Temperature { get; init; } = 5.0;
    /// <summary>Logits become c * tanh(logits); 0 or less: not used.</summary>
    [Setting("logits become c * tanh(logits); 0: unbounded")]
    public double TanhConstant { get; init; } = 1.10;
    /// <summary>Operation logits use TanhConstant / OpTanhReduce.</summary>
    [Setting("operation logits use the tanh constant divided by this", Min = 0, MinExclusive = true)]
    public double OpTanhReduce { get; init; } = 2.5;
    [Setting("entropy bonus in the reward", Min = 0)]
    public double EntropyWeight { get; init; } = 1e-4;
    [Setting("moving-average decay of the reward baseline", Min = 0, Max = 1, MaxExclusive = true)]
    public double BaselineDecay { get; init; } = 0.99;
    [Setting("controller Adam learning rate", Min = 0, MinExclusive = true)]
    public double LearningRate { get; init; } = 0.0035;
    /// <summary>Sampled architectures whose REINFORCE gradients are summed into one update.</summary>
    [Setting("sampled architectures per controller update", Min = 1)]
    public int SamplesPerUpdate { get; init; } = 10;
    /// <summary>Controller updates after each supernet epoch.</summary>
    [Setting("controller updates after each supernet epoch", Min = 0)]
    public int UpdatesPerEpoch { get; init; } = 30;

    /// <summary>
    /// REINFORCE as NAS-Bench-201 (Dong and Yang 2020) runs it, with this controller: one update per sample, baseline
    /// momentum 0.9, no temperature or tanh bound (ENAS's bounded logits keep exploring by design, which a budget of a
    /// few hundred queries cannot afford). Learning rate 0.003: the best of 0.01, 0.003, 0.001 over 100 seeds on the
    /// NAS-Bench-201 table (docs/BENCHMARKS.md); 0.01 collapses early, 0.001 learns too slowly for 150 queries.
    /// </summary>
    public static ControllerOptions Reinforce { get; } = new()
    {
        SamplesPerUpdate = 1, BaselineDecay = 0.9, LearningRate = 0.003, Temperature = 0, TanhConstant = 0, EntropyWeight = 0,
    };

    public void Validate() => Settings.Validate(this);
}
