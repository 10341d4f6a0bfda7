using System.Text.Json.Nodes;
using Nascent.Core;
using Nascent.Evaluation;
using Nascent.Spaces;
using Nascent.Training;

namespace Nascent.Tests.Strategies;

/// <summary>A supernet without a network: training does nothing, every evaluator scores an architecture by a fixed
/// function of its choices (the reward, ranking and final scores alike; <see cref="ScoreOf"/>), so decoded
/// architectures better than a pool exist and would win if a search ranked them. It records the share of the ranking
/// data each ranking evaluator was made for.</summary>
internal sealed class AnalyticSupernet(SearchSpace space, int epochs) : ISupernet
{
    private sealed class Batch(long step) : ISupernetBatch
    {
        public long Step => step;
        public double TrainOnPath(Architecture path) => 1.0;
    }

    private sealed class Score : IEvaluator
    {
        public Metrics Evaluate(Architecture a, CancellationToken cancellation = default) => new(ScoreOf(a));
    }

    /// <summary>The score of every evaluator: a weighted sum of the operation indices, in percent.</summary>
    public static double ScoreOf(Architecture a) => a.Choices.Sum(c => new[] { 0.0, 1.5, 3.0, 4.0, 2.0 }[c]) / 24.0 * 100;

    /// <summary>The shares of the ranking data asked for, in order.</summary>
    public List<double> RankingShares { get; } = [];

    public SearchSpace Space => space;
    public int StepsPerEpoch => 2;
    public int Epochs => epochs;
    public long StepsTaken { get; private set; }
    public void BeginEpoch() { }
    public double Step(Func<ISupernetBatch, double> step) => step(new Batch(StepsTaken++));
    public IEvaluator RewardEvaluator(int index) => new Score();

    public IEvaluator RankingEvaluator(double share = 1)
    {
        RankingShares.Add(share);
        return new Score();
    }

    public IEvaluator FinalEvaluator() => new Score();
    public string Describe(Metrics metrics) => $"{metrics.Accuracy:F1}%";
    public string DescribeLoss(double loss) => $"{loss:F2}";
    public void SaveWeights(string file) { }
    public void LoadWeights(string file) { }
    public bool CanCheckpoint => false;
    public JsonObject WriteCheckpoint(string folder) => [];
    public void RestoreCheckpoint(JsonObject state, string folder) { }
    public void Dispose() { }
}
