using Nascent.Experiments.Execution;
using Nascent.Experiments.Search;
using Nascent.Spaces;
using Nascent.Strategies;
using Nascent.Tests.Data;

namespace Nascent.Tests.Strategies;

public sealed class NaoWeightSharingTests
{
    [Fact]
    public void Nao_ws_returns_an_architecture_of_its_last_evaluated_pool_and_ranks_only_that_pool()
    {
        using var folder = new TempFolder();
        using var store = new TrialStore(Path.Combine(folder.Path, TrialStore.FileName));
        var runner = new TrialRunner(store);
        var space = Nb201Space.Instance;
        using var nao = new Nao(space, 2, new NaoOptions { SeedArchitectures = 6, NewPerIteration = 2, TopK = 3, Epochs = 5 }, weightSharing: true);
        using var supernet = new AnalyticSupernet(space, 3);
        var best = new WeightSharingSearch(runner, null).Run(nao, supernet, candidates: 20, new WeightSharingOptions { FinalTop = 2 });

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
