namespace Nascent.Experiments.Search;

/// <summary>
/// How a weight-sharing search spends its evaluations. The strategy's
/// <see cref="Strategies.IWeightSharingStrategy.EvaluationsPerEpoch"/> architectures are asked, scored on
/// <see cref="RewardImages"/> validation images each, and told after every supernet epoch (the controller's training,
/// ENAS); then the search's candidates are ranked on <see cref="RankingImages"/> validation images (text: the
/// language settings' ranking windows) by successive halving over <see cref="RankingRungs"/> rungs
/// (<see cref="Execution.SuccessiveHalving"/>), and the best <see cref="FinalTop"/> re-scored on all of them.
/// </summary>
public sealed record WeightSharingOptions
{
    [Setting("validation images each controller reward is measured on (one minibatch)", Min = 1)]
    public int RewardImages { get; init; } = 128;

    [Setting("validation images each candidate is ranked on with the shared weights (in the last rung)", Min = 1)]
    public int RankingImages { get; init; } = 1000;

    [Setting("best-ranked candidates re-scored on the whole validation set", Min = 1)]
    public int FinalTop { get; init; } = 5;

    /// <summary>Rung r of R ranks the candidates left on 1/η^(R-1-r) of the ranking images and keeps the best 1/η;
    /// 1 ranks every candidate on all of them (earlier releases). 3 rungs returned the same architecture as 1 on the
    /// same supernet in every seed `bench halving` ran, with ranking 2.3x faster (docs/BENCHMARKS.md).</summary>
    [Setting("successive-halving rungs of the ranking (1: every candidate on all ranking images)", Min = 1, Max = 8,
        Source = "Jamieson and Talwalkar 2016, Algorithm 1 (successive halving)")]
    public int RankingRungs { get; init; } = 3;

    [Setting("successive-halving rate: each rung keeps the best 1/rate of its candidates for a rung with rate times the images",
        Min = 2, Source = "Li et al. 2018 (Hyperband), section 3, eta = 3; microsoft/nni docs/en_US/Tuner/HyperbandAdvisor.md, eta: 3")]
    public int HalvingRate { get; init; } = 3;
}
