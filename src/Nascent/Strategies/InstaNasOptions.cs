namespace Nascent.Strategies;

/// <summary>
/// The InstaNAS controller's training, with the settings of the official README's published CIFAR-10 search
/// (AnjieCheng/InstaNAS README.md:27, <c>python search.py --model InstaMobile_C10 --lr 5e-4 --batch_size 32
/// --max_epochs 500 --pos_w 30 --neg_w 0</c>) and search/search.py's defaults for the rest: Adam at 5e-4,
/// probabilities bounded to [1 - α, α] with α = 0.8 while sampling, entropy bonus β = 0.8, reward +30 times the
/// shaped latency term for a right prediction and 0 for a wrong one, latency term to the power 1, and the upper
/// latency bound falling linearly from 0.7 x the full meta-graph's module latency to 0.5 x the MobileNetV2-like
/// selection's over the search (the lower bound is the cheapest selection's). Each setting's <c>Source</c> says
/// where its default is written.
/// </summary>
public sealed record InstaNasOptions : IStrategyOptions
{
    public const string Repository = "AnjieCheng/InstaNAS";

    [Setting("controller Adam learning rate", Min = 0, MinExclusive = true,
        Source = Repository + " README.md:27 (--lr 5e-4); Adam: search/search.py:331")]
    public double LearningRate { get; init; } = 5e-4;
    /// <summary>Probability bound α: sampling uses p·α + (1 - p)·(1 - α), so every module keeps being explored.</summary>
    [Setting("probability bound α while sampling", Min = 0.5, MinExclusive = true, Max = 1,
        Source = Repository + " search/search.py:50 (--alpha 0.80), used at 104")]
    public double Alpha { get; init; } = 0.8;
    [Setting("entropy bonus β", Min = 0, Source = Repository + " search/search.py:39 (--beta 0.8), used at 125-129")]
    public double EntropyWeight { get; init; } = 0.8;
    /// <summary>+30 as the README's published runs (search.py's own default is +10).</summary>
    [Setting("reward factor of a right prediction", Min = 0, MinExclusive = true,
        Source = Repository + " README.md:27 (--pos_w 30); reward: search/search.py:76")]
    public double PositiveReward { get; init; } = 30;
    /// <summary>0 as the README's published runs (search.py's own default is -10).</summary>
    [Setting("reward of a wrong prediction", Max = 0, Source = Repository + " README.md:27 (--neg_w 0); reward: search/search.py:77")]
    public double NegativeReward { get; init; } = 0;
    [Setting("power of the shaped latency term", Min = 0, MinExclusive = true, Source = Repository + " search/search.py:56 (--lat_exp 1.), used at 74")]
    public double LatencyExponent { get; init; } = 1;
    /// <summary>The upper latency bound at the start, as a fraction of the full meta-graph's module latency.</summary>
    [Setting("upper latency bound at the start, x the full meta-graph's", Min = 0, MinExclusive = true,
        Source = Repository + " search/search.py:347 (ub_sp = baseline_max * 0.7)")]
    public double UpperStart { get; init; } = 0.7;
    /// <summary>The upper latency bound at the end, as a fraction of the MobileNetV2-like selection's (the upper bound
    /// falls linearly with epoch / epochs, search.py:345 and 357; the lower bound is the cheapest selection's, 358).
    /// Session 5 used 1.0, chosen on one seed's latencies that timing noise could have decided (issue 19).</summary>
    [Setting("upper latency bound at the end, x the MobileNetV2-like selection's", Min = 0, MinExclusive = true,
        Source = Repository + " search/search.py:348 (ub_ep = baseline * 0.5)")]
    public double UpperEnd { get; init; } = 0.5;

    public void Validate() => Settings.Validate(this);
}
