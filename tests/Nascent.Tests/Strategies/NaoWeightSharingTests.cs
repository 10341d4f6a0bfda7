using System.Text.Json.Nodes;
using Nascent.Core;
using Nascent.Evaluation;
using Nascent.Experiments.Execution;
using Nascent.Spaces;
using Nascent.Strategies;
using Nascent.Tests.Data;
using Nascent.Training;

namespace Nascent.Tests.Strategies;

public sealed class NaoWeightSharingTests
{
    /// <summary>A supernet without a network: training does nothing, every evaluator scores an architecture by a
    /// fixed function of its choices (the reward, ranking and final scores alike), so decoded architectures that are
    /// better than the pool exist and would win if the search ranked them.</summary>
    private sealed class AnalyticSupernet(SearchSpace space, int epochs) : ISupernet
    {
        private sealed class Batch(long step) : ISupernetBatch
        {
            public long Step => step;
            public double TrainOnPath(Architecture path) => 1.0;
        }

        private sealed class Score : IEvaluator
        {
            public Metrics Evaluate(Architecture a, CancellationToken cancellation = default) =>
                new(a.Choices.Sum(c => new[] { 0.0, 1.5, 3.0, 4.0, 2.0 }[c]) / 24.0 * 100);
        }

        public SearchSpace Space => space;
        public int StepsPerEpoch => 2;
        public int Epochs => epochs;
        public long StepsTaken { get; private set; }
        public void BeginEpoch() { }
        public double Step(Func<ISupernetBatch, double> step) => step(new Batch(StepsTaken++));
        public IEvaluator RewardEvaluator(int index) => new Score();
        public IEvaluator RankingEvaluator() => new Score();
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

    [Fact]
    public void Nao_ws_returns_an_architecture_of_its_last_evaluated_pool_and_ranks_only_that_pool()
    {
        using var folder = new TempFolder();
        using var store = new TrialStore(Path.Combine(folder.Path, TrialStore.FileName));
        var runner = new TrialRunner(store);
        var space = Nb201Space.Instance;
        using var nao = new Nao(space, 2, new NaoOptions { SeedArchitectures = 6, NewPerIteration = 2, TopK = 3, Epochs = 5 }, weightSharing: true);
        using var supernet = new AnalyticSupernet(space, 3);
        var best = new WeightSharingSearch(runner, null).Run(nao, supernet, candidates: 20, finalTop: 2);

        var rewards = runner.Trials.Where(t => t.Phase == TrialPhase.Controller).Select(t => t.Architecture).ToList();
        Assert.Equal(18, rewards.Count);                   // the pool of 6 after each of the 3 epochs
        var lastPool = rewards.Skip(12).ToHashSet();
        Assert.Equal(6, lastPool.Count);
        var ranked = runner.Trials.Where(t => t.Phase == TrialPhase.Rank).Select(t => t.Architecture).ToList();
        Assert.Equal(6, ranked.Count);                     // the evaluated pool, each once: nothing decoded after it
        Assert.True(ranked.ToHashSet().SetEquals(lastPool));
        Assert.Contains(best.Architecture, lastPool);
        // The best of the pool as scored: the finalists are the pool's top 2 and the result the better one.
        Assert.Equal(lastPool.Max(a => runner.Trials.First(t => t.Architecture.Equals(a)).Objective), best.Objective);
        Assert.True(nao.RankingCandidates!.ToHashSet().SetEquals(lastPool));
    }
}
