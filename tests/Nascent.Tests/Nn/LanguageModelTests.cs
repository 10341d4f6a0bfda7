using Nascent.Core;
using Nascent.Data;
using Nascent.Nn;
using Nascent.Spaces;
using Nascent.Training;
using static TorchSharp.torch;

namespace Nascent.Tests.Nn;

public sealed class LanguageModelTests
{
    private static Tensor Tokens(int steps, int batch, int vocabulary, int seed)
    {
        var random = new SeededRandom((ulong)seed);
        return tensor(Enumerable.Range(0, steps * batch).Select(_ => (long)random.Next(vocabulary)).ToArray(), [steps, batch]);
    }

    [Theory]
    [InlineData(RecurrentCellFamily.Enas, "sigmoid relu~0 tanh~1 identity~0 relu~3")]
    [InlineData(RecurrentCellFamily.Nao, "relu~0 tanh~1 identity~0 relu~3 sigmoid~2")]
    public void A_supernet_path_equals_the_standalone_cell_with_the_same_weights(RecurrentCellFamily family, string cell)
    {
        var space = new RecurrentCellSpace(family, 5);
        var architecture = space.Parse(cell);
        var options = new LanguageModelOptions(30, 12, DropoutEmbedding: 0.1, DropoutInput: 0.2, DropoutHidden: 0.2, DropoutOutput: 0.3,
            NormalizeHidden: true);
        using var supernet = new CellLanguageModel(space, options, new SeededRandom(1));
        using var standalone = new CellLanguageModel(space, options, new SeededRandom(2), architecture);
        // ENAS keeps a matrix per (node, input, activation), NAO one per node: its supernet is the cell itself.
        Assert.True(family == RecurrentCellFamily.Nao ? supernet.ParameterCount() == standalone.ParameterCount()
            : supernet.ParameterCount() > standalone.ParameterCount());
        standalone.LoadPathFrom(supernet);
        using var scope = NewDisposeScope();
        var tokens = Tokens(7, 3, 30, 4);
        var hidden = randn(3, 12) * 0.5;
        foreach (bool train in new[] { false, true })
        {
            supernet.train(train);
            standalone.train(train);
            manual_seed(9); // the same dropout masks in both
            var (a, ha) = supernet.Forward(tokens, hidden, architecture);
            manual_seed(9);
            var (b, hb) = standalone.Forward(tokens, hidden);
            Assert.True(a.allclose(b, rtol: 1e-5, atol: 1e-6), $"logits differ (train {train})");
            Assert.True(ha.allclose(hb, rtol: 1e-5, atol: 1e-6), $"hidden states differ (train {train})");
        }
    }

    /// <summary>One step of a hand-made ENAS cell computed here from its weights: node 0 reads [x, h]; nodes 1 and 2
    /// both read node 0, so the output averages the loose ends 1 and 2 (not node 0).</summary>
    [Fact]
    public void One_step_of_a_hand_made_cell_matches_the_highway_formula_and_averages_the_loose_ends()
    {
        var space = new RecurrentCellSpace(RecurrentCellFamily.Enas, 3);
        var architecture = space.Parse("tanh relu~0 sigmoid~0");
        var options = new LanguageModelOptions(5, 4, DropoutInput: 0, DropoutHidden: 0, DropoutOutput: 0);
        using var model = new CellLanguageModel(space, options, new SeededRandom(3), architecture);
        model.eval();
        using var scope = NewDisposeScope();
        var p = model.named_parameters().ToDictionary(kv => kv.name, kv => kv.parameter);
        var tokens = tensor(new long[] { 2 }, [1, 1]);
        var h = tensor(new float[] { 0.1f, -0.2f, 0.3f, 0.05f }, [1, 4]);
        var x = p["embedding.weight"][2].unsqueeze(0);
        Tensor Node(Tensor input, Tensor previous, Tensor w, Func<Tensor, Tensor> f)
        {
            var z = input.mm(w);
            var gate = z[.., ..4].sigmoid();
            return previous + gate * (f(z[.., 4..]) - previous);
        }
        var s0 = Node(cat([x, h], 1), h, p["cell.w0_tanh"], t => t.tanh());
        var s1 = Node(s0, s0, p["cell.w1_0_relu"], t => t.relu());
        var s2 = Node(s0, s0, p["cell.w2_0_sigmoid"], t => t.sigmoid());
        var expected = (s1 + s2) / 2;
        var (_, hidden) = model.Forward(tokens, h);
        Assert.True(hidden.allclose(expected, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void A_model_with_every_weight_zero_has_the_vocabulary_size_as_perplexity()
    {
        // Zero weights give zero logits: a uniform distribution over V words, cross-entropy ln V, perplexity exactly V.
        var space = new RecurrentCellSpace(RecurrentCellFamily.Enas, 3);
        using var model = new CellLanguageModel(space, new LanguageModelOptions(37, 6), new SeededRandom(1), space.Parse("tanh relu~0 relu~1"));
        using (no_grad()) foreach (var parameter in model.parameters()) parameter.zero_();
        using var batched = TokenBatches.Batchify(Enumerable.Range(0, 200).Select(i => (long)(i * 7 % 37)).ToArray(), 4);
        var (perplexity, loss, tokens) = Perplexity.Measure(model, null, batched, 9);
        Assert.Equal(37, perplexity, 3);
        Assert.Equal(Math.Log(37), loss, 5);
        Assert.Equal(49 * 4, tokens); // 50 rows: 49 targets per column, each counted once
        Assert.Equal(Math.E, Perplexity.FromLoss(1), 12);
    }

    /// <summary>A corpus that repeats one 8-word sentence is fully predictable after a word or two: training drives the
    /// perplexity near 1, for a searched cell and for the LSTM baseline.</summary>
    [Theory]
    [InlineData("cell")]
    [InlineData("lstm")]
    public void Training_on_a_tiny_repetitive_corpus_drives_perplexity_near_one(string kind)
    {
        var space = new RecurrentCellSpace(RecurrentCellFamily.Enas, 4);
        var options = new LanguageModelOptions(9, 32, DropoutInput: 0, DropoutHidden: 0, DropoutOutput: 0);
        manual_seed(0);
        using LanguageModel model = kind == "lstm"
            ? new LstmLanguageModel(options, new SeededRandom(0))
            : new CellLanguageModel(space, options, new SeededRandom(0), space.Parse("tanh tanh~0 relu~1 identity~2"));
        var stream = Enumerable.Range(0, 2400).Select(i => (long)(i % 9)).ToArray(); // 8 words and <eos>
        using var batched = TokenBatches.Batchify(stream, 4);
        double before = Perplexity.Measure(model, null, batched, 16).Perplexity;
        using var trainer = new LanguageModelTrainer(model, LanguageModelTrainer.DefaultOptions(4, 4), 4 * 38);
        for (int epoch = 0; epoch < 4; epoch++) trainer.TrainEpoch(batched, 16, () => null);
        double after = Perplexity.Measure(model, null, batched, 16).Perplexity;
        Assert.True(before > 5, $"untrained perplexity {before}");
        Assert.True(after < 1.2, $"perplexity after training {after}");
    }

    [Fact]
    public void A_normalised_cell_gives_hidden_states_of_zero_mean_and_unit_variance()
    {
        var space = new RecurrentCellSpace(RecurrentCellFamily.Nao, 4);
        using var model = new CellLanguageModel(space, new LanguageModelOptions(20, 16, NormalizeHidden: true), new SeededRandom(2));
        model.eval();
        using var scope = NewDisposeScope();
        var (_, hidden) = model.Forward(Tokens(6, 5, 20, 1), model.InitialHidden(5) + 3, space.Parse("identity~0 relu~1 identity~2 relu~3"));
        Assert.True(hidden.mean([1L]).abs().max().item<float>() < 1e-5);
        Assert.True((hidden.var([1L], unbiased: false) - 1).abs().max().item<float>() < 1e-3);
    }

    [Theory]
    [InlineData(RecurrentCellFamily.Enas, true)]
    [InlineData(RecurrentCellFamily.Nao, true)]
    [InlineData(RecurrentCellFamily.Enas, false)]
    public void The_computed_parameter_count_of_a_cell_model_is_the_built_models(RecurrentCellFamily family, bool tied)
    {
        var space = new RecurrentCellSpace(family, 5);
        var options = new LanguageModelOptions(40, 12, TieWeights: tied);
        var architecture = space.Sample(new SeededRandom(4));
        using var model = new CellLanguageModel(space, options, new SeededRandom(1), architecture);
        Assert.Equal(model.ParameterCount(), Nascent.Evaluation.SharedWeightsPerplexityEvaluator.CellParameters(space, options));
    }
}
