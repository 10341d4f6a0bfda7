namespace Nascent.Experiments;

/// <summary>
/// How a weight-sharing search spends its evaluations. <see cref="ControllerSamplesPerEpoch"/> architectures are
/// asked, scored on <see cref="RewardImages"/> validation images each, and told after every supernet epoch (the
/// controller's training, ENAS); 0 for strategies that learn nothing (RSWS). Then <see cref="Candidates"/> are ranked
/// on <see cref="RankingImages"/> validation images and the best <see cref="FinalTop"/> re-scored on all of them.
/// </summary>
public sealed record WeightSharingOptions(int Candidates, int RankingImages, int FinalTop,
    int ControllerSamplesPerEpoch = 0, int RewardImages = 128);
