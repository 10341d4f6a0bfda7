using Nascent.Core;
using Nascent.Evaluation;
using Nascent.Spaces;
using Nascent.Strategies;

namespace Nascent.Tests.Strategies;

public sealed class NaoTests
{
    private static Trial Rewarded(Architecture a, double accuracy) => new(0, a, TrialStatus.Done, new Metrics(accuracy));

    /// <summary>A smooth objective on NAS-Bench-201 cells: each edge adds the value of its op, best op nor_conv_3x3
    /// everywhere (one optimum among 15,625).</summary>
    private static double Smooth(Architecture a) => a.Choices.Sum(c => new[] { 0.0, 1.5, 3.0, 4.0, 2.0 }[c]) / 24.0 * 100;

    [Theory]
    [InlineData("nb201")]
    [InlineData("enas-micro")]
    public void The_autoencoder_reconstructs_its_training_architectures_and_decodes_only_valid_ones(string spaceName)
    {
        var space = spaceName == "nb201" ? SpaceCatalog.Create(spaceName) : new EnasMicroSpace(2);
        var random = new SeededRandom(1);
        var train = Enumerable.Range(0, 20).Select(_ => space.Sample(random)).Distinct().ToList();
        // Adam at 0.01 for 60 epochs fits these 20 as closely as the default 0.001 did in 300 (cross-entropy about 0.02
        // against 0.03 on enas-micro; every one reconstructed for four different seeds of each space).
        using var model = new NaoModel(space, new NaoOptions { Epochs = 60, BatchSize = 20, Augment = false, LearningRate = 0.01 },
            new SeededRandom(2));
        var (_, crossEntropy) = model.Train(train, train.Select(_ => random.NextDouble()).ToList(), new SeededRandom(3));
        var reconstructed = model.Reconstruct(train);
        Assert.True(train.SequenceEqual(reconstructed), $"{train.Zip(reconstructed).Count(p => !p.First.Equals(p.Second))} of {train.Count} differ; cross-entropy {crossEntropy:F4}");
        // Large moves in the embedding space decode to architectures the space accepts.
        foreach (var improvement in model.Improve(train, [1.0, 10.0, 100.0]))
            foreach (var a in improvement.Architectures) Assert.Equal(a, space.Create(a.Choices));
    }

    [Fact]
    public void A_small_gradient_step_in_the_embedding_raises_the_predicted_performance()
    {
        var space = Nb201Space.Instance;
        var random = new SeededRandom(4);
        var train = Enumerable.Range(0, 60).Select(_ => space.Sample(random)).Distinct().ToList();
        using var model = new NaoModel(space, new NaoOptions { Epochs = 60, Augment = false }, new SeededRandom(5));
        model.Train(train, train.Select(a => Smooth(a) / 100).ToList(), new SeededRandom(6));
        var probe = train.Take(20).ToList();
        var forwards = model.Improve(probe, [0.05, -0.05]).ToList();
        var (before, after) = (forwards[0].Before, forwards[0].After);
        for (int i = 0; i < probe.Count; i++)
            Assert.True(after[i] > before[i], $"architecture {i}: predictor {before[i]:F5} -> {after[i]:F5}");
        // Against the opposite direction: the gradient, not just any move, raises the prediction.
        var backwards = forwards[1].After;
        Assert.All(Enumerable.Range(0, probe.Count), i => Assert.True(backwards[i] < before[i]));
    }

    /// <summary>Five decisions of four options (1,024 architectures) and a smooth objective: each decision adds the
    /// value of its option, best option "c" everywhere.</summary>
    private sealed class GridSpace() : SearchSpace(Enumerable.Range(0, 5)
        .Select(i => new Decision($"d{i}", DecisionKind.Operation, ["a", "b", "c", "d"])).ToArray())
    {
        public override string Name => "grid";
        public override string Format(Architecture a) => string.Concat(a.Choices.Select(c => "abcd"[c]));
        public override Architecture Parse(string text) => Create(text.Select(c => "abcd".IndexOf(c)).ToArray());
        public override ArchitectureGraph ToGraph(Architecture a) => new(a.Choices.Select(c => "abcd"[c].ToString()).ToArray(), []);
        public static double Value(Architecture a) => a.Choices.Sum(c => new[] { 0.0, 1.0, 3.0, 2.0 }[c]) / 15 * 100;
    }

    [Fact]
    public void Nao_finds_the_optimum_of_a_smooth_objective_more_often_than_random_search()
    {
        var space = new GridSpace();
        var optimum = space.Parse("ccccc");
        const int budget = 60, seeds = 6; // random search finds one architecture in 1,024 within 60 draws 6 % of the time
        var options = new NaoOptions
        {
            SeedArchitectures = 12, NewPerIteration = 4, TopK = 4, Epochs = 30,
            EmbeddingSize = 16, HiddenSize = 32, MlpLayers = 2, MlpHiddenSize = 64,
        };
        int naoFound = 0, randomFound = 0;
        double naoBest = 0, randomBest = 0;
        for (ulong seed = 0; seed < seeds; seed++)
        {
            using var nao = new Nao(space, seed, options);
            var fromNao = Run(nao);
            var fromRandom = Run(new RandomSearch(space, seed, weightSharing: false));
            naoFound += fromNao.Contains(optimum) ? 1 : 0;
            randomFound += fromRandom.Contains(optimum) ? 1 : 0;
            naoBest += fromNao.Max(GridSpace.Value) / seeds;
            randomBest += fromRandom.Max(GridSpace.Value) / seeds;
        }
        // Seeds 0-5 as run here: NAO finds the optimum in 3 (mean best 96.7), random search in none (85.6); over seeds
        // 0-11 NAO in 7, random search in 1. (60 epochs per iteration took twice as long and found it in 2 of seeds
        // 0-5.) NAO's edge is real but modest: it is asserted with a margin below what was measured, not more.
        string summary = $"NAO found the optimum in {naoFound} of {seeds} runs (mean best {naoBest:F1}), random search in {randomFound} (mean best {randomBest:F1})";
        Assert.True(naoFound >= 2 && randomFound <= 1, summary);
        Assert.True(naoBest > randomBest + 5, summary);

        static HashSet<Architecture> Run(ISearchStrategy strategy)
        {
            var asked = new HashSet<Architecture>();
            for (int q = 0; q < budget; q++)
            {
                var a = strategy.Ask();
                asked.Add(a);
                strategy.Tell(Rewarded(a, GridSpace.Value(a)));
            }
            return asked;
        }
    }

    [Fact]
    public void Rounds_hold_new_architectures_and_exported_state_gives_the_same_next_asks()
    {
        var space = Nb201Space.Instance;
        var options = new NaoOptions { SeedArchitectures = 8, NewPerIteration = 4, TopK = 4, Epochs = 5 };
        using var a = new Nao(space, 7, options);
        var asked = new List<Architecture>();
        for (int i = 0; i < 14; i++) { var x = a.Ask(); asked.Add(x); a.Tell(Rewarded(x, Smooth(x))); }
        Assert.Equal(asked.Count, asked.Distinct().Count());   // never evaluates an architecture twice
        Assert.Equal(2, a.Iterations);
        using var b = new Nao(space, 99, options);
        b.ImportState(a.ExportState());
        for (int i = 0; i < 6; i++)
        {
            var xa = a.Ask();
            var xb = b.Ask();
            Assert.Equal(xa, xb);
            a.Tell(Rewarded(xa, Smooth(xa)));
            b.Tell(Rewarded(xb, Smooth(xb)));
        }
        Assert.Equal(a.PredictPerformance(asked), b.PredictPerformance(asked));
    }

    [Fact]
    public void With_weight_sharing_the_pool_keeps_its_size_and_its_best_members()
    {
        var space = Nb201Space.Instance;
        var options = new NaoOptions { SeedArchitectures = 10, NewPerIteration = 4, TopK = 4, Epochs = 5 };
        using var nao = new Nao(space, 8, options, weightSharing: true);
        var pool = nao.Round.ToList();
        Assert.Contains(nao.NextTrainingPath(), pool);
        foreach (var x in pool) { Assert.Equal(x, nao.Ask()); nao.Tell(Rewarded(x, Smooth(x))); }
        var next = nao.Ask();
        Assert.Equal(1, nao.Iterations);
        Assert.Equal(10, nao.Round.Count);
        var best = pool.OrderByDescending(Smooth).Take(6).ToHashSet();
        Assert.True(best.SetEquals(nao.Round.Take(6)));
        Assert.Equal(4, nao.Round.Skip(6).Count(x => !pool.Contains(x)));
        Assert.Equal(nao.Round[0], next);
    }

    [Fact]
    public void Enas_micro_symmetric_variants_swap_the_branches_of_one_node_per_cell()
    {
        var space = new EnasMicroSpace(3);
        var random = new SeededRandom(9);
        var a = space.Sample(random);
        var variant = space.SymmetricVariant(a, random)!;
        Assert.Equal(1.0, Nascent.Analysis.WeisfeilerLehmanKernel.Similarity(a.ToGraph(), variant.ToGraph()), 9); // the same network
        int changedNodes = Enumerable.Range(0, 6).Count(n => !a.Choices.Skip(4 * n).Take(4).SequenceEqual(variant.Choices.Skip(4 * n).Take(4)));
        Assert.InRange(changedNodes, 0, 2);
        for (int n = 0; n < 6; n++)
        {
            var x = a.Choices.Skip(4 * n).Take(4).ToArray();
            var y = variant.Choices.Skip(4 * n).Take(4).ToArray();
            Assert.True(x.SequenceEqual(y) || (x[0] == y[1] && x[1] == y[0] && x[2] == y[3] && x[3] == y[2]));
        }
        Assert.Null(Nb201Space.Instance.SymmetricVariant(Nb201Space.Instance.Sample(random), random));
    }
}
