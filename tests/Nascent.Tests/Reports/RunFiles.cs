using Nascent.Core;
using Nascent.Evaluation;
using Nascent.Experiments;
using Nascent.Spaces;
using Nascent.Strategies;
using Nascent.Experiments.Execution;
using Nascent.Experiments.Search;

namespace Nascent.Tests.Reports;

/// <summary>Run directories written by the tests themselves: config.json, trials.db and result.json, no training.</summary>
public static class RunFiles
{
    /// <summary>A finished search run of <paramref name="strategy"/> whose trials have the given accuracies, in order
    /// (NaN: a failed trial); the best trial is the returned architecture.</summary>
    public static SearchResult WriteSearch(string folder, SearchSpace space, string strategy, IReadOnlyList<double> accuracies, ulong seed = 0)
    {
        var run = RunDirectory.Create(folder, "search");
        run.WriteJson("config.json", new SearchConfig { Space = space.Name, Strategy = strategy, Seed = seed, Out = run.Path,
            Nodes = (space as EnasMicroSpace)?.Nodes ?? EnasMicroSpace.DefaultNodes });
        var random = new SeededRandom(seed);
        var trials = new List<Trial>();
        using (var store = new TrialStore(run.File(TrialStore.FileName)))
        {
            foreach (double accuracy in accuracies)
            {
                var architecture = space.Sample(random);
                int id = store.Begin(architecture, TrialPhase.Trial);
                var trial = double.IsNaN(accuracy)
                    ? new Trial(id, architecture, TrialStatus.Failed, FailureReason: "loss is NaN")
                    : new Trial(id, architecture, TrialStatus.Done, new Metrics(accuracy, 1.0, 1000 + id));
                store.Finish(trial);
                trials.Add(trial);
            }
        }
        var ranked = trials.Where(t => t.Status == TrialStatus.Done).OrderByDescending(t => t.Objective).ToList();
        var best = ranked[0];
        var result = new SearchResult("search", strategy, space.Name, "mnist", seed,
            new BestArchitecture(best.Architecture.ToString(), best.Metrics!.Accuracy, null, best.Metrics.Parameters ?? 0),
            trials.Count, trials.Count(t => t.Status == TrialStatus.Failed), 1.5,
            ranked.Take(10).Select(t => new RankedArchitecture(t.Architecture.ToString(), t.Metrics!.Accuracy, t.Metrics.Parameters)).ToList(),
            run.Path);
        run.WriteJson("result.json", result);
        return result;
    }
}
