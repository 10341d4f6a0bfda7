using Nascent.Core;
using Nascent.Experiments;
using Nascent.Nn;
using Nascent.Spaces;
using Nascent.Strategies;
using Nascent.Tests.Cli;
using Nascent.Tests.Data;
using Nascent.Training;
using static TorchSharp.torch;
using Nascent.Experiments.Execution;

namespace Nascent.Tests.Strategies;

public sealed class ParsecTests
{
    private static readonly NetworkOptions Small = new(InputChannels: 1, Classes: 10, Channels: 4, Cells: 1, TrackRunningStats: false);

    [Fact]
    public void Importance_weights_sum_to_one_and_favour_the_higher_likelihood()
    {
        var w = Parsec.ImportanceWeights([-120.0, -123.0, -121.0]);
        Assert.Equal(1.0, w.Sum(), 12);
        Assert.True(w[0] > w[2] && w[2] > w[1]);
        Assert.Equal(Math.E, w[0] / w[2], 9);      // ω ∝ exp(ℓ): one nat more, e times the weight
        Assert.Equal(Math.Exp(3), w[0] / w[1], 9);
        var far = Parsec.ImportanceWeights([-1e4, -1e4 - 800]); // no overflow or NaN far apart
        Assert.Equal(1.0, far[0]);
        Assert.Equal(0.0, far[1]);
    }

    [Fact]
    public void With_one_sample_the_update_is_the_plain_sampled_path_update()
    {
        var space = Nb201Space.Instance;
        var path = space.Sample(new SeededRandom(5));
        var options = new TrainingOptions { LearningRate = 0.1 };
        manual_seed(7);
        using var plain = NetworkFactory.CreateSupernet(space, Small);
        manual_seed(7);
        using var weighted = NetworkFactory.CreateSupernet(space, Small);
        using var images = randn(8, 1, 28, 28);
        using var labels = randint(0, 10, 8);
        using (var a = new Trainer(plain, options, 10))
        using (var b = new Trainer(weighted, options, 10))
            for (int step = 0; step < 2; step++)
            {
                var (loss, _) = a.Step(images, labels, path);
                var result = b.StepImportanceWeighted(images, labels, [path], minimumWeight: 0);
                Assert.Equal([1.0], result.Weights);
                Assert.Equal(loss, result.Loss, 4);
            }
        var expected = plain.parameters().ToArray();
        var actual = weighted.parameters().ToArray();
        for (int i = 0; i < expected.Length; i++)
            Assert.True(expected[i].allclose(actual[i], rtol: 1e-5, atol: 1e-7), $"parameter {i}");

        // The distribution's update with K = 1: π moves by lr · (one-hot(α) − p) at every decision.
        var parsec = new Parsec(space, 1, new ParsecOptions { Samples = 1, PriorLearningRate = 0.5 });
        parsec.Update([path], [-3.0]);
        for (int d = 0; d < space.Decisions.Count; d++)
            for (int o = 0; o < 5; o++)
                Assert.Equal(0.5 * ((o == path[d] ? 1 : 0) - 0.2), parsec.Logits(d)[o], 12);
    }

    [Fact]
    public void On_a_tiny_space_with_a_likelihood_that_favours_one_op_the_distribution_concentrates_on_it()
    {
        var space = new TinyCellSpace();
        var parsec = new Parsec(space, 3, new ParsecOptions { Samples = 4, PriorLearningRate = 0.2 });
        double initial = parsec.Entropy();
        // Synthetic batch log-likelihood: each operation 'b' (option 1) is worth 2 nats; inputs do not matter.
        for (int step = 0; step < 300; step++)
        {
            var samples = parsec.NextTrainingSamples();
            parsec.Update(samples, samples.Select(a => 2.0 * ((a[1] == 1 ? 1 : 0) + (a[3] == 1 ? 1 : 0)) - 50).ToArray());
        }
        Assert.True(parsec.Probabilities(1)[1] > 0.95, $"p(b) at node 2 = {parsec.Probabilities(1)[1]}");
        Assert.True(parsec.Probabilities(3)[1] > 0.95, $"p(b) at node 3 = {parsec.Probabilities(3)[1]}");
        Assert.Equal(1, parsec.MostProbable()[1]);
        Assert.Equal(1, parsec.MostProbable()[3]);
        Assert.True(parsec.Entropy() < initial);
    }

    /// <summary>Runs <paramref name="updates"/> π updates against a synthetic batch log-likelihood in which every
    /// nor_conv_3x3 edge is worth 3 nats, and returns the smallest p(nor_conv_3x3) over the six edges.</summary>
    private static double LeastConvolutionProbability(Parsec parsec, int updates)
    {
        var space = parsec.Space;
        int[] conv = space.Decisions.Select(d => d.Options.ToList().IndexOf("nor_conv_3x3")).ToArray();
        for (int u = 0; u < updates; u++)
        {
            var samples = parsec.NextTrainingSamples();
            parsec.Update(samples, samples.Select(a => 3.0 * Enumerable.Range(0, conv.Length).Count(d => a[d] == conv[d]) - 500).ToArray());
        }
        return Enumerable.Range(0, conv.Length).Min(d => parsec.Probabilities(d)[conv[d]]);
    }

    [Fact]
    public void The_automatic_step_lets_the_distribution_concentrate_within_a_short_or_a_long_search()
    {
        var space = Nb201Space.Instance;
        foreach (int updates in new[] { 30, 3000 })
        {
            var parsec = new Parsec(space, 11, new ParsecOptions());
            parsec.Plan(updates);
            Assert.Equal(ParsecOptions.AutoTotalStep / updates, parsec.LearningRate, 12);
            double least = LeastConvolutionProbability(parsec, updates);
            Assert.True(least > 0.8, $"{updates} updates: p(nor_conv_3x3) = {least} at some edge");
            Assert.True(parsec.Entropy() < 0.3 * space.Decisions.Count * Math.Log(5), $"{updates} updates: entropy {parsec.Entropy()}");
        }

        // The fixed step the default used to be leaves a short search near uniform: what the automatic step fixes.
        var fixedStep = new Parsec(space, 11, new ParsecOptions { PriorLearningRate = 0.05 });
        Assert.True(LeastConvolutionProbability(fixedStep, 30) < 0.5);

        // Warm-up steps and --parsec-every count: 100 steps, 20 of warm-up, every 2nd step: 40 updates.
        var scheduled = new Parsec(space, 0, new ParsecOptions { WarmupSteps = 20, PriorEvery = 2 });
        scheduled.Plan(100);
        Assert.Equal(ParsecOptions.AutoTotalStep / 40, scheduled.LearningRate, 12);
        Assert.Equal(40, Enumerable.Range(0, 100).Count(step => scheduled.UpdatesAt(step)));
        Assert.Throws<InvalidOperationException>(() => new Parsec(space, 0).LearningRate); // auto needs a plan
    }

    [Fact]
    public void The_two_pass_update_gives_the_gradients_of_holding_all_K_graphs_at_once()
    {
        var space = Nb201Space.Instance;
        var random = new SeededRandom(9);
        var samples = Enumerable.Range(0, 4).Select(_ => space.Sample(random)).ToArray();
        manual_seed(9);
        using var supernet = NetworkFactory.CreateSupernet(space, Small);
        using var images = randn(6, 1, 28, 28);
        using var labels = randint(0, 10, 6);
        supernet.train();

        supernet.zero_grad();
        var (logLikelihoods, weights, _) = ImportanceWeightedUpdate.Accumulate(supernet, images, labels, samples);
        Assert.True(weights.Count(w => w > 1e-3) >= 2, "the test needs more than one sample with weight");
        var twoPass = supernet.parameters().Select(p => p.grad?.clone()).ToArray();

        // All K graphs at once: the gradient of −log Σ_k exp(ℓ_k) / B, the importance-weighted log marginal likelihood.
        supernet.zero_grad();
        var all = samples.Select(a => -nn.functional.cross_entropy(supernet.Forward(images, a), labels, reduction: nn.Reduction.Sum)).ToArray();
        Assert.Equal(logLikelihoods, all.Select(l => (double)l.item<float>()).ToArray(), (x, y) => Math.Abs(x - y) < 1e-3);
        var joint = -logsumexp(stack(all), 0) / images.shape[0];
        joint.backward();
        var together = supernet.parameters().Select(p => p.grad).ToArray();

        int compared = 0;
        for (int i = 0; i < twoPass.Length; i++)
        {
            Assert.Equal(twoPass[i] is null, together[i] is null);
            if (twoPass[i] is null) continue;
            Assert.True(twoPass[i]!.allclose(together[i]!, rtol: 1e-4, atol: 1e-6), $"parameter {i}");
            compared++;
        }
        Assert.True(compared > 10);
    }

    [Fact]
    public void A_saved_distribution_loads_back_identically()
    {
        using var temp = new TempFolder();
        var space = Nb201Space.Instance;
        var parsec = new Parsec(space, 4, new ParsecOptions { PriorLearningRate = 0.37 });
        var random = new SeededRandom(2);
        for (int i = 0; i < 20; i++)
        {
            var samples = parsec.NextTrainingSamples();
            parsec.Update(samples, samples.Select(_ => -100 * random.NextDouble()).ToArray());
        }
        var run = RunDirectory.Create(temp.Path, "search");
        run.WriteJson(ParsecDistribution.FileName, parsec.Distribution());

        var loaded = ParsecDistribution.Load(temp.Path);
        var copy = new Parsec(space, 99);
        copy.ImportPrior(loaded, temp.Path);
        for (int d = 0; d < space.Decisions.Count; d++)
        {
            Assert.Equal(parsec.Logits(d), copy.Logits(d)); // exact: doubles are written round-trip
            Assert.Equal(parsec.Probabilities(d), loaded.Decisions[d].Probabilities.ToArray(), (x, y) => Math.Abs(x - y) < 1e-15);
        }
        Assert.Equal(parsec.MostProbable(), copy.MostProbable());
        Assert.Equal(parsec.MostProbable().ToString(), loaded.MostProbable);
        Assert.Equal(parsec.Entropy(), copy.Entropy());
    }

    [Fact]
    public void Prior_from_a_run_of_another_space_is_one_clear_line()
    {
        using var temp = new TempFolder();
        var run = RunDirectory.Create(temp.Sub("nb201-run"), "search");
        run.WriteJson(ParsecDistribution.FileName, new Parsec(Nb201Space.Instance, 0).Distribution());
        var (code, output, errors) = NascentCli.Run("search", "--strategy", "parsec", "--space", "enas-micro",
            "--prior-from", run.Path, "--out", Path.Combine(temp.Path, "out"), "--data-dir", temp.Sub("no-data"));
        NascentCli.AssertOneLineError("--prior-from", code, output, errors);
        Assert.Contains("space nb201", errors);
        Assert.Contains("enas-micro", errors);
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "out"))); // it failed before doing anything

        // Another --nodes is another space too.
        var five = new Parsec(new EnasMicroSpace(5), 0).Distribution();
        var error = Assert.Throws<NascentException>(() => five.CheckSpace(new EnasMicroSpace(3), "RUN"));
        Assert.Contains("40 decisions", error.Message);
    }
}
