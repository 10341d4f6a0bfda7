namespace Nascent.Experiments.Search;

/// <summary>
/// How a weight-sharing search spends its evaluations. The strategy's
/// <see cref="Strategies.IWeightSharingStrategy.EvaluationsPerEpoch"/> architectures are asked, scored on
/// <see cref="RewardImages"/> validation images each, and told after every supernet epoch (the controller's training,
/// ENAS); then the search's candidates are ranked on <see cref="RankingImages"/> validation images (text: the
/// language settings' ranking windows) and the best <see cref="FinalTop"/> re-scored on all of them.
/// </summary>
public sealed record WeightSharingOptions
{
    [Setting("validation images each controller reward is measured on (one minibatch)", Min = 1)]
    public int RewardImages { get; init; } = 128;

    [Setting("validation images each candidate is ranked on with the shared weights", Min = 1)]
    public int RankingImages { get; init; } = 1000;

    [Setting("best-ranked candidates re-scored on the whole validation set", Min = 1)]
    public int FinalTop { get; init; } = 5;
}
