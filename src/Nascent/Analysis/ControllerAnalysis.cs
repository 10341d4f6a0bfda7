using System.Text.Json;
using Nascent.Experiments.Search;

namespace Nascent.Analysis;

/// <summary>
/// The controller hidden-state analysis of "Understanding Neural Architecture Search Techniques" (Adam and Lorraine
/// 2019): do the controller's hidden states say anything about the architectures it samples from them?
/// <list type="number">
/// <item>Samples architectures with the top LSTM layer's hidden state at every decision; over pairs of samples, the
/// Pearson and Spearman correlations (bootstrap 95 % intervals) between hidden-state similarity (cosine, Euclidean
/// distance; of the last decision's state and of the mean over decisions) and graph similarity (graph edit distance,
/// Jaccard of labelled edges, Weisfeiler-Lehman kernel); and per decision step, the correlation of that step's
/// hidden-state cosine with each graph metric.</item>
/// <item>Experiment (a): a prefix of decisions fixed from a sample, so the hidden state after it is identical, and the
/// rest sampled many times: mean pairwise graph metric within such groups (all pairs, or a seeded subset of
/// <see cref="ControllerAnalysisOptions.GroupPairs"/>) against unconditioned samples, and
/// against groups whose rest is uniform over the space (the similarity the shared prefix alone brings).</item>
/// </list>
/// Every random choice (samples, pairs, bootstrap) comes from the options' seed; the strategy's own state is untouched.
/// </summary>
public static class ControllerAnalysis
{
    /// <summary>Rebuilds the ENAS strategy of a search run: its config.json and its controller from strategy.json.</summary>
    public static Enas LoadStrategy(string runDirectory)
    {
        var config = ReadRunConfig(runDirectory);
        string statePath = Path.Combine(runDirectory, SearchExperiment.StrategyStateFile);
        if (!File.Exists(statePath))
            throw new NascentException($"{runDirectory} has no {SearchExperiment.StrategyStateFile} (the trained controller): " +
                "the search did not finish or was made by an older Nascent; run the search again with this version.");
        var enas = (Enas)config.Descriptor.Create(new StrategyContext(config.CreateSpace(), config.Seed), config.Options());
        try
        {
            var state = JsonNode.Parse(File.ReadAllText(statePath)) as JsonObject
                ?? throw new NascentException($"{statePath} does not hold a JSON object.");
            enas.ImportState(state);
            return enas;
        }
        catch (Exception e) when (e is not NascentException)
        {
            enas.Dispose();
            string why = e is JsonException ? "not valid JSON" : e.Message.Split('\n')[0];
            throw new NascentException($"{statePath} cannot be read as the {config.Strategy} controller's state ({why}).");
        }
        catch
        {
            enas.Dispose();
            throw;
        }
    }

    /// <summary>The configuration of a search run of a strategy with an analysable controller (config.json).</summary>
    public static SearchConfig ReadRunConfig(string runDirectory)
    {
        if (!Directory.Exists(runDirectory))
            throw new NascentException($"Run directory {runDirectory} not found (give --run a directory written by 'nascent search').");
        var raw = RunDirectory.ReadJson<JsonObject>(Path.Combine(runDirectory, "config.json"));
        if (raw["strategy"] is null) // a bench or train run: its config names no single strategy
            throw new NascentException($"{runDirectory} is not a search run (its config.json names no strategy); give --run a directory written by 'nascent search'.");
        if (raw["format"]?.GetValue<int>() != SearchConfig.CurrentFormat)
            throw new NascentException($"{runDirectory} was written by an earlier Nascent (configuration format 1); run the search again with this version.");
        var config = raw.Deserialize<SearchConfig>(RunDirectory.Json)!;
        var analysable = StrategyCatalog.All.Where(d => d.HasAnalysableController).ToArray();
        if (config.IsTabular || !analysable.Any(d => d.Answers(config.Strategy)))
            throw new NascentException($"{runDirectory} is a run of strategy '{config.Strategy}'{(config.IsTabular ? " over a table" : "")}, " +
                $"which saves no controller to analyse; analyse a search run of --strategy {string.Join(" or ", analysable.Select(d => d.Name))}.");
        return config;
    }

    public static ControllerAnalysisResult Run(Enas strategy, ControllerAnalysisOptions? options = null, IProgress<ProgressEvent>? progress = null)
    {
        options ??= new ControllerAnalysisOptions();
        options.Validate();
        var clock = Stopwatch.StartNew();
        var random = new SeededRandom(options.Seed);
        var space = strategy.Space;
        var controller = strategy.Controller;
        int decisions = space.Decisions.Count;
        var graphs = new GraphMeasurements(options);

        var samples = new List<Sample>(options.Samples);
        var bar = new ProgressReporter(progress, "sample", options.Samples, "arch");
        for (int i = 0; i < options.Samples; i++)
        {
            samples.Add(Draw(controller, random));
            bar.Advance();
        }

        var pairs = ChoosePairs(samples.Count, options.Pairs, random);
        var measurements = new List<PairMeasurement>(pairs.Count);
        var stepCosines = new double[decisions][];
        for (int t = 0; t < decisions; t++) stepCosines[t] = new double[pairs.Count];
        bar = new ProgressReporter(progress, "pairs", pairs.Count, "pair");
        for (int p = 0; p < pairs.Count; p++)
        {
            var (i, j) = pairs[p];
            Sample a = samples[i], b = samples[j];
            var g = graphs.Between(a.Architecture, b.Architecture);
            measurements.Add(new PairMeasurement(i, j,
                Cosine(a.Hidden[^1], b.Hidden[^1]), Euclidean(a.Hidden[^1], b.Hidden[^1]),
                Cosine(a.MeanHidden, b.MeanHidden), Euclidean(a.MeanHidden, b.MeanHidden),
                g.Ged.Value, g.Ged.IsExact, g.Jaccard, g.Wl));
            for (int t = 0; t < decisions; t++) stepCosines[t][p] = Cosine(a.Hidden[t], b.Hidden[t]);
            bar.Advance();
        }

        var correlations = new List<HiddenGraphCorrelation>();
        bar = new ProgressReporter(progress, "bootstrap", ControllerAnalysisResult.HiddenMetrics.Count * ControllerAnalysisResult.GraphMetrics.Count, "metric pair");
        foreach (var hidden in ControllerAnalysisResult.HiddenMetrics)
        {
            var x = measurements.Select(m => m.Hidden(hidden)).ToArray();
            foreach (var graph in ControllerAnalysisResult.GraphMetrics)
            {
                var y = measurements.Select(m => m.Graph(graph)).ToArray();
                correlations.Add(new HiddenGraphCorrelation(hidden, graph,
                    Correlation.PearsonWithInterval(x, y, random, options.BootstrapResamples),
                    Correlation.SpearmanWithInterval(x, y, random, options.BootstrapResamples)));
                bar.Advance();
            }
        }

        var steps = new List<StepCorrelation>();
        for (int t = 0; t < decisions; t++)
            foreach (var graph in ControllerAnalysisResult.GraphMetrics)
            {
                var y = measurements.Select(m => m.Graph(graph)).ToArray();
                steps.Add(new StepCorrelation(t, space.Decisions[t].Name, graph,
                    Correlation.Pearson(stepCosines[t], y), Correlation.Spearman(stepCosines[t], y), y.Length));
            }

        var prefix = PrefixExperiment(controller, space, samples, measurements, graphs, options, random, progress);

        return new ControllerAnalysisResult(strategy.Name, space.Name, decisions, strategy.Options.LstmSize, strategy.Updates,
            options.Seed, samples.Count, samples.Select(s => s.Architecture).Distinct().Count(), measurements.Count,
            measurements.Count(m => m.GedExact) / (double)measurements.Count, options.WlIterations, options.BootstrapResamples,
            correlations, steps, prefix, clock.Elapsed.TotalSeconds)
        {
            PairMeasurements = measurements,
            SampleArchitectures = samples.Select(s => s.Architecture.ToString()).ToArray(),
        };
    }

    /// <summary>Prefix lengths for the fractions: rounded, kept within 1 .. decisions - 1, duplicates dropped.</summary>
    public static IReadOnlyList<(double Fraction, int Length)> PrefixLengths(IReadOnlyList<double> fractions, int decisions) =>
        fractions.Select(f => (f, Math.Clamp((int)Math.Round(f * decisions, MidpointRounding.AwayFromZero), 1, Math.Max(1, decisions - 1))))
            .DistinctBy(p => p.Item2).Where(p => p.Item2 < decisions).ToArray();

    private static List<PrefixComparison> PrefixExperiment(LstmController controller, SearchSpace space, List<Sample> samples,
        List<PairMeasurement> measurements, GraphMeasurements graphs, ControllerAnalysisOptions options, SeededRandom random,
        IProgress<ProgressEvent>? progress)
    {
        var lengths = PrefixLengths(options.PrefixFractions, space.Decisions.Count);
        int anchors = Math.Min(options.PrefixAnchors, samples.Count);
        var unconditioned = ControllerAnalysisResult.GraphMetrics.ToDictionary(g => g, g => measurements.Average(m => m.Graph(g)));
        var results = new List<PrefixComparison>();
        var bar = new ProgressReporter(progress, "prefix", lengths.Count * anchors, "group");
        foreach (var (fraction, length) in lengths)
        {
            var conditioned = ControllerAnalysisResult.GraphMetrics.ToDictionary(g => g, _ => new List<double>());
            var uniform = ControllerAnalysisResult.GraphMetrics.ToDictionary(g => g, _ => new List<double>());
            for (int a = 0; a < anchors; a++)
            {
                var fixedChoices = samples[a].Architecture.Choices;
                var fromController = new List<Architecture>(options.PrefixSamples);
                var fromUniform = new List<Architecture>(options.PrefixSamples);
                for (int s = 0; s < options.PrefixSamples; s++)
                {
                    fromController.Add(Draw(controller, random, fixedChoices, length).Architecture);
                    fromUniform.Add(UniformContinuation(space, fixedChoices, length, random));
                }
                foreach (var (graph, mean) in graphs.MeanPairwise(fromController, ChoosePairs(fromController.Count, options.GroupPairs, random)))
                    conditioned[graph].Add(mean);
                foreach (var (graph, mean) in graphs.MeanPairwise(fromUniform, ChoosePairs(fromUniform.Count, options.GroupPairs, random)))
                    uniform[graph].Add(mean);
                bar.Advance();
            }
            foreach (var graph in ControllerAnalysisResult.GraphMetrics)
            {
                double c = conditioned[graph].Average(), u = uniform[graph].Average();
                results.Add(new PrefixComparison(fraction, length, graph, c, unconditioned[graph], c - unconditioned[graph],
                    u, c - u, anchors, options.PrefixSamples));
            }
        }
        return results;
    }

    /// <summary>The first <paramref name="length"/> choices kept, every later one uniform among the allowed options.</summary>
    private static Architecture UniformContinuation(SearchSpace space, IReadOnlyList<int> fixedChoices, int length, SeededRandom random)
    {
        var choices = fixedChoices.ToArray();
        for (int i = length; i < choices.Length; i++)
        {
            var allowed = space.AllowedOptions(i, new ArraySegment<int>(choices, 0, i));
            choices[i] = allowed[random.Next(allowed.Count)];
        }
        return space.Create(choices);
    }

    /// <summary>All pairs when there are at most <paramref name="wanted"/>, otherwise that many distinct random pairs.</summary>
    private static List<(int, int)> ChoosePairs(int count, int wanted, SeededRandom random)
    {
        long total = (long)count * (count - 1) / 2;
        var pairs = new List<(int, int)>();
        if (wanted >= total)
        {
            for (int i = 0; i < count; i++)
                for (int j = i + 1; j < count; j++) pairs.Add((i, j));
            return pairs;
        }
        var seen = new HashSet<(int, int)>();
        while (pairs.Count < wanted)
        {
            int i = random.Next(count), j = random.Next(count);
            if (i == j) continue;
            var pair = (Math.Min(i, j), Math.Max(i, j));
            if (seen.Add(pair)) pairs.Add(pair);
        }
        return pairs;
    }

    private static Sample Draw(LstmController controller, SeededRandom random, IReadOnlyList<int>? prefix = null, int prefixLength = 0)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        using var pass = controller.Run(forced: prefix, random: random, forcedPrefix: prefix is null ? -1 : prefixLength);
        long steps = pass.Hidden.shape[0], width = pass.Hidden.shape[1];
        var flat = pass.Hidden.data<float>().ToArray();
        var hidden = new double[steps][];
        var mean = new double[width];
        for (int t = 0; t < steps; t++)
        {
            hidden[t] = new double[width];
            for (int k = 0; k < width; k++)
            {
                hidden[t][k] = flat[t * width + k];
                mean[k] += hidden[t][k] / steps;
            }
        }
        return new Sample(controller.Space.Create(pass.Choices), hidden, mean);
    }

    /// <summary>Cosine similarity; 1 for two zero vectors (they are the same), 0 for one zero vector.</summary>
    public static double Cosine(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double ab = 0, aa = 0, bb = 0;
        for (int k = 0; k < a.Count; k++) { ab += a[k] * b[k]; aa += a[k] * a[k]; bb += b[k] * b[k]; }
        if (aa == 0 && bb == 0) return 1;
        if (aa == 0 || bb == 0) return 0;
        return Math.Clamp(ab / Math.Sqrt(aa * bb), -1, 1);
    }

    public static double Euclidean(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double sum = 0;
        for (int k = 0; k < a.Count; k++) sum += (a[k] - b[k]) * (a[k] - b[k]);
        return Math.Sqrt(sum);
    }

    private sealed record Sample(Architecture Architecture, double[][] Hidden, double[] MeanHidden);

    /// <summary>Graph metrics of architecture pairs, each graph's features and each pair's values computed once.</summary>
    private sealed class GraphMeasurements(ControllerAnalysisOptions options)
    {
        private readonly Dictionary<Architecture, int> _ids = [];
        private readonly List<(ArchitectureGraph Graph, IReadOnlyDictionary<string, int> Wl, IReadOnlyDictionary<(string, string), int> Edges)> _features = [];
        private readonly Dictionary<(int, int), (GraphEditDistance Ged, double Jaccard, double Wl)> _pairs = [];

        public (GraphEditDistance Ged, double Jaccard, double Wl) Between(Architecture a, Architecture b)
        {
            int i = Id(a), j = Id(b);
            if (i == j) return (new GraphEditDistance(0, true), 1, 1);
            var key = (Math.Min(i, j), Math.Max(i, j));
            if (_pairs.TryGetValue(key, out var known)) return known;
            var (fa, fb) = (_features[key.Item1], _features[key.Item2]);
            var value = (GraphEditDistance.Between(fa.Graph, fb.Graph, options.GedBudget),
                EdgeJaccard.Similarity(fa.Edges, fb.Edges), WeisfeilerLehmanKernel.Similarity(fa.Wl, fb.Wl));
            _pairs[key] = value;
            return value;
        }

        /// <summary>Mean of each graph metric over the given pairs of a group.</summary>
        public IEnumerable<(string Graph, double Mean)> MeanPairwise(IReadOnlyList<Architecture> group, IReadOnlyList<(int, int)> pairs)
        {
            double ged = 0, jaccard = 0, wl = 0;
            foreach (var (i, j) in pairs)
            {
                var m = Between(group[i], group[j]);
                ged += m.Ged.Value; jaccard += m.Jaccard; wl += m.Wl;
            }
            return [("ged", ged / pairs.Count), ("jaccard", jaccard / pairs.Count), ("wl", wl / pairs.Count)];
        }

        private int Id(Architecture architecture)
        {
            if (_ids.TryGetValue(architecture, out int id)) return id;
            var graph = architecture.ToGraph();
            _features.Add((graph, WeisfeilerLehmanKernel.Features(graph, options.WlIterations), EdgeJaccard.Edges(graph)));
            return _ids[architecture] = _features.Count - 1;
        }
    }
}
