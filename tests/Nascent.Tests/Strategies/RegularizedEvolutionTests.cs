using System.Text.Json.Nodes;
using Nascent.Core;
using Nascent.Evaluation;
using Nascent.Spaces;
using Nascent.Strategies;

namespace Nascent.Tests.Strategies;

public sealed class RegularizedEvolutionTests
{
    private static readonly SearchSpace[] Spaces = [Nb201Space.Instance, new EnasMicroSpace(3)];

    /// <summary>An analytic objective: how many decisions agree with a fixed target (target = option 1 everywhere).</summary>
    private static double Score(Architecture a) => a.Choices.Count(c => c == 1);

    private static Trial Done(int id, Architecture a) => new(id, a, TrialStatus.Done, new Metrics(Score(a)));

    [Fact]
    public void Every_ask_is_a_valid_architecture_and_children_differ_from_a_member_in_one_decision()
    {
        foreach (var space in Spaces)
            for (ulong seed = 0; seed < 20; seed++)
            {
                var rea = new RegularizedEvolution(space, seed, new RegularizedEvolutionOptions { PopulationSize = 5, SampleSize = 2 });
                for (int i = 0; i < 60; i++)
                {
                    var population = rea.Population.Select(m => m.Architecture).ToArray();
                    var asked = rea.Ask();
                    Assert.Same(space, asked.Space);
                    Assert.Equal(asked, space.Create(asked.Choices));
                    Assert.Equal(asked, space.Parse(asked.ToString()));
                    if (i >= 5)
                        Assert.Contains(population, p => p.Choices.Zip(asked.Choices).Count(z => z.First != z.Second) == 1);
                    rea.Tell(Done(i, asked));
                }
            }
    }

    [Fact]
    public void Export_then_import_gives_the_same_next_asks()
    {
        foreach (var space in Spaces)
        {
            var original = new RegularizedEvolution(space, 7);
            for (int i = 0; i < 23; i++)
            {
                var a = original.Ask();
                // One failure in the population: its fitness (-infinity) must survive the round trip.
                original.Tell(i == 20 ? new Trial(i, a, TrialStatus.Failed, FailureReason: "diverged") : Done(i, a));
            }
            var text = original.ExportState().ToJsonString();
            var restored = new RegularizedEvolution(space, 999);
            restored.ImportState(JsonNode.Parse(text)!.AsObject());
            Assert.Equal(original.Population, restored.Population);
            for (int i = 0; i < 30; i++)
            {
                var a = original.Ask();
                Assert.Equal(a, restored.Ask());
                original.Tell(Done(100 + i, a));
                restored.Tell(Done(100 + i, a));
            }
        }
    }

    [Fact]
    public void Export_during_the_initial_population_resumes_it()
    {
        var original = new RegularizedEvolution(Nb201Space.Instance, 3);
        for (int i = 0; i < 4; i++) original.Tell(Done(i, original.Ask()));
        var restored = new RegularizedEvolution(Nb201Space.Instance, 0);
        restored.ImportState(JsonNode.Parse(original.ExportState().ToJsonString())!.AsObject());
        for (int i = 0; i < 20; i++)
        {
            var a = original.Ask();
            Assert.Equal(a, restored.Ask());
            original.Tell(Done(i, a)); restored.Tell(Done(i, a));
        }
    }

    [Fact]
    public void Same_seed_same_asks_and_different_seeds_differ()
    {
        List<Architecture> Run(ulong seed)
        {
            var rea = new RegularizedEvolution(Nb201Space.Instance, seed);
            var asks = new List<Architecture>();
            for (int i = 0; i < 40; i++) { var a = rea.Ask(); asks.Add(a); rea.Tell(Done(i, a)); }
            return asks;
        }
        Assert.Equal(Run(11), Run(11));
        Assert.NotEqual(Run(11), Run(12));
    }

    [Fact]
    public void The_oldest_member_dies_even_when_it_is_the_fittest()
    {
        var space = Nb201Space.Instance;
        var rea = new RegularizedEvolution(space, 1, new RegularizedEvolutionOptions { PopulationSize = 3, SampleSize = 3 });
        var best = space.Create([1, 1, 1, 1, 1, 1]);
        rea.Tell(Done(0, best));
        var others = new[] { space.Create([0, 0, 0, 0, 0, 0]), space.Create([2, 2, 2, 2, 2, 2]), space.Create([3, 3, 3, 3, 3, 3]) };
        for (int i = 0; i < others.Length; i++)
        {
            rea.Tell(Done(i + 1, others[i]));
            Assert.True(rea.Population.Count <= 3);
        }
        Assert.Equal(others, rea.Population.Select(m => m.Architecture));
    }

    [Fact]
    public void Tournament_parent_is_the_fittest_of_the_sample()
    {
        // With the sample as large as the population and sampling with replacement, a population of one strong
        // and two weak members yields children of the strong one almost always; with S = 1 about a third of the time.
        var space = Nb201Space.Instance;
        var strong = space.Create([1, 1, 1, 1, 1, 1]);
        double ChildrenOfStrong(int sampleSize)
        {
            int hits = 0;
            for (ulong seed = 0; seed < 300; seed++)
            {
                var rea = new RegularizedEvolution(space, seed, new RegularizedEvolutionOptions { PopulationSize = 3, SampleSize = sampleSize });
                for (int i = 0; i < 3; i++) rea.Ask();
                rea.Tell(Done(0, space.Create([0, 0, 0, 0, 0, 0])));
                rea.Tell(Done(1, strong));
                rea.Tell(Done(2, space.Create([2, 2, 2, 2, 2, 2])));
                var child = rea.Ask();
                if (child.Choices.Zip(strong.Choices).Count(z => z.First != z.Second) == 1) hits++;
            }
            return hits / 300.0;
        }
        Assert.InRange(ChildrenOfStrong(3), 0.65, 0.80); // 1 - (2/3)^3 = 0.70
        Assert.InRange(ChildrenOfStrong(1), 0.25, 0.42); // 1/3
    }

    [Theory]
    [InlineData(1, 1, "RegularizedEvolutionOptions.PopulationSize must be at least 2 (got 1)")]
    [InlineData(10, 0, "RegularizedEvolutionOptions.SampleSize must be at least 1 (got 0)")]
    [InlineData(10, 11, "RegularizedEvolutionOptions.SampleSize must not exceed the population size 10 (got 11)")]
    public void Options_are_validated_in_the_constructor(int population, int sample, string message)
    {
        var e = Assert.Throws<NascentException>(() => new RegularizedEvolution(Nb201Space.Instance, 0,
            new RegularizedEvolutionOptions { PopulationSize = population, SampleSize = sample }));
        Assert.Contains(message, e.Message);
    }
}
