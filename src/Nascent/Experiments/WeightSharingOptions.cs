namespace Nascent.Experiments;

/// <summary>
/// How a weight-sharing search spends its evaluations. The strategy's
/// <see cref="Strategies.IWeightSharingStrategy.EvaluationsPerEpoch"/> architectures are
/// asked, scored on <see cref="RewardImages"/> validation images each, and told after every supernet epoch (the
/// controller's training, ENAS); 0 for strategies that learn nothing (RSWS). Then <see cref="Candidates"/> are ranked
/// on <see cref="RankingImages"/> validation images and the best <see cref="FinalTop"/> re-scored on all of them.
/// </summary>
public sealed record WeightSharingOptions(int Candidates, int RankingImages, int FinalTop,
    int RewardImages = 128);
