using Nascent.Evaluation;
using Nascent.Spaces;
using Nascent.Strategies;

namespace Nascent.Tests.Strategies;

public sealed class LocalSearchTests
{
    private static readonly SearchSpace[] Spaces = [Nb201Space.Instance, new EnasMicroSpace(3)];

    /// <summary>A unimodal objective: how many decisions agree with a fixed target (option 1 everywhere); from any
    /// start, some one-edit neighbour is better until the target, so local search climbs to it without restarting.</summary>
    private static double Score(Architecture a) => a.Choices.Count(c => c == 1);

    private static Architecture Target(SearchSpace space) => space.Create(Enumerable.Repeat(1, space.Decisions.Count).ToArray());

    private static int Distance(Architecture a, Architecture b) => a.Choices.Zip(b.Choices).Count(z => z.First != z.Second);

    [Fact]
    public void It_climbs_one_edit_at_a_time_to_the_optimum_of_a_unimodal_objective()
    {
        foreach (var space in Spaces)
            for (ulong seed = 0; seed < 10; seed++)
            {
                var ls = new LocalSearch(space, seed);
                var start = ls.Ask();
                ls.Tell(new Trial(0, start, TrialStatus.Done, new Metrics(Score(start))));
                var best = start;
                for (int i = 1; i < 2000 && !best.Equals(Target(space)); i++)
                {
                    var asked = ls.Ask();
                    Assert.Equal(asked, space.Parse(asked.ToString()));
                    Assert.True(Distance(asked, best) <= 2); // a neighbour of the centre, which is at most one edit from the best so far
                    ls.Tell(new Trial(i, asked, TrialStatus.Done, new Metrics(Score(asked))));
                    best = Score(asked) > Score(best) ? asked : best;
                }
                Assert.Equal(Target(space), best);
                Assert.Equal(0, ls.Restarts);
            }
    }

    [Fact]
    public void It_moves_to_the_best_neighbour_and_restarts_at_a_local_optimum()
    {
        var space = Nb201Space.Instance;
        var ls = new LocalSearch(space, 3);
        var start = ls.Ask();
        // A flat objective: the start is a local optimum, so after its whole neighbourhood the search restarts.
        ls.Tell(new Trial(0, start, TrialStatus.Done, new Metrics(50)));
        int neighbours = space.Decisions.Sum(d => d.Count - 1); // nb201: every edit of an edge is allowed
        var seen = new HashSet<Architecture>();
        for (int i = 0; i < neighbours; i++)
        {
            var asked = ls.Ask();
            Assert.Equal(1, Distance(asked, start));
            Assert.True(seen.Add(asked)); // each neighbour once, in a random order
            ls.Tell(new Trial(i + 1, asked, TrialStatus.Done, new Metrics(50)));
        }
        Assert.Equal(1, ls.Restarts);
        var restart = ls.Ask();
        ls.Tell(new Trial(99, restart, TrialStatus.Done, new Metrics(10)));
        // A better neighbour found in the next round becomes the centre of the round after it.
        var first = ls.Ask();
        ls.Tell(new Trial(100, first, TrialStatus.Done, new Metrics(20)));
        for (int i = 1; i < neighbours; i++)
        {
            var asked = ls.Ask();
            ls.Tell(new Trial(100 + i, asked, TrialStatus.Done, new Metrics(10)));
        }
        Assert.Equal(1, Distance(ls.Ask(), first));
    }

    [Fact]
    public void The_same_seed_gives_the_same_asks_and_export_then_import_the_same_next_ones()
    {
        foreach (var space in Spaces)
        {
            var a = new LocalSearch(space, 7);
            var b = new LocalSearch(space, 7);
            for (int i = 0; i < 40; i++)
            {
                var asked = a.Ask();
                Assert.Equal(asked, b.Ask());
                var trial = new Trial(i, asked, i % 7 == 3 ? TrialStatus.Failed : TrialStatus.Done, i % 7 == 3 ? null : new Metrics(Score(asked)));
                a.Tell(trial);
                b.Tell(trial);
            }
            var copy = new LocalSearch(space, 99);
            copy.ImportState(a.ExportState());
            for (int i = 0; i < 40; i++)
            {
                var asked = a.Ask();
                Assert.Equal(asked, copy.Ask());
                var trial = new Trial(40 + i, asked, TrialStatus.Done, new Metrics(Score(asked)));
                a.Tell(trial);
                copy.Tell(trial);
            }
        }
    }

    [Fact]
    public void Its_descriptor_runs_it_one_at_a_time_on_every_space()
    {
        var descriptor = StrategyCatalog.Get("ls");
        Assert.Equal(StrategyKind.OneAtATime, descriptor.Kind);
        using var strategy = descriptor.Create(new StrategyContext(new EnasMicroSpace(2), 0));
        Assert.IsType<LocalSearch>(strategy);
    }
}
