using Nascent.Plots;

namespace Nascent.Strategies;

/// <summary>
/// PARSEC (Casale, Gordon and Fusi 2019, "Probabilistic Neural Architecture Search"): a prior p(α|π) of independent
/// categoricals, one per decision of the space, with logits π. Each supernet step draws K architectures; the runner
/// scores each on the batch with the shared weights (log-likelihood = minus the summed cross-entropy) and trains the
/// weights on the ω-weighted losses, ω = softmax over k of the log-likelihoods (<see cref="ImportanceWeights"/>).
/// π follows the empirical-Bayes gradient Σ_k ω_k ∇_π log p(α_k|π): per decision, ω-weighted one-hot choices minus
/// the current probabilities. The result is the mode of p(α|π) and samples from it ranked on validation. The paper
/// gives no code; this follows its text.
/// </summary>
public sealed class Parsec : IWeightSharingStrategy
{
    public const string SupernetFile = "supernet.dat";
    public const string CurveFile = "parsec_curve.csv";
    public const string EntropyPlotFile = "entropy.png";

    public static StrategyDescriptor Descriptor { get; } = new StrategyDescriptor<ParsecOptions>
    {
        Name = "parsec", Kind = StrategyKind.WeightSharing,
        Summary = "PARSEC: a learned distribution over architectures, importance-weighted updates of weights and distribution",
        Spaces = ["nb201", "enas-micro"], LearnsDistribution = true,
        Artifacts = [ParsecDistribution.FileName, CurveFile, EntropyPlotFile, SupernetFile],
        Factory = (c, o) => new Parsec(c.Space, c.Seed, o),
    };

    private readonly double[][] _logits;
    private SeededRandom _random;
    private bool _modeAsked;
    private readonly List<ParsecHistoryPoint> _history = [];

    public Parsec(SearchSpace space, ulong seed, ParsecOptions? options = null)
    {
        Options = options ?? new ParsecOptions();
        Options.Validate();
        Space = space;
        _random = new SeededRandom(seed);
        _logits = space.Decisions.Select(d => new double[d.Count]).ToArray(); // uniform prior
        if (Options.PriorFrom is { } from) // a wrong prior fails here, before any data is loaded
        {
            ImportPrior(ParsecDistribution.Load(from), from);
            if (Options.PriorWeights && !File.Exists(Path.Combine(from, SupernetFile)))
                throw NascentException.ForSetting(Settings.KeyOf(typeof(ParsecOptions), nameof(ParsecOptions.PriorWeights)),
                    $"{{setting}}: {Path.Combine(from, SupernetFile)} not found (a parsec run writes it when it ends).");
        }
    }

    public string Name => Descriptor.Name;
    public SearchSpace Space { get; }
    public ParsecOptions Options { get; }

    private long? _plannedUpdates;

    /// <summary>π updates made so far.</summary>
    public long Updates { get; private set; }

    /// <summary>Entropy of p(α|π) after each update, and the probes of the most probable architecture.</summary>
    public IReadOnlyList<ParsecHistoryPoint> History => _history;

    public int EvaluationsPerEpoch => 0;

    /// <summary>Sizes the automatic π step to the search, and starts the shared weights from the prior run's.</summary>
    public void Prepare(ISupernet supernet)
    {
        Plan((long)supernet.Epochs * supernet.StepsPerEpoch);
        if (!Options.PriorWeights) return;
        string path = Path.Combine(Options.PriorFrom!, SupernetFile);
        try
        {
            supernet.LoadWeights(path);
        }
        catch (Exception e) when (e is not NascentException)
        {
            throw NascentException.ForSetting(Settings.KeyOf(typeof(ParsecOptions), nameof(ParsecOptions.PriorWeights)),
                $"{{setting}}: {path} does not fit this search's supernet (the same space, channels, cells and image size are needed): {e.Message.Split('\n')[0]}");
        }
    }

    /// <summary>PARSEC's step: the importance-weighted weight update (one architecture's graph at a time), the
    /// distribution's update from the training batch's likelihoods or a validation batch's, and now and then a
    /// probe of the most probable architecture.</summary>
    public double TrainStep(ISupernetBatch batch)
    {
        var images = batch as IImageSupernetBatch
            ?? throw new NascentException($"Strategy parsec trains image supernets; the {Space.Name} space has none.");
        long step = batch.Step;
        var samples = NextTrainingSamples();
        var (logLikelihoods, loss) = images.TrainImportanceWeighted(samples, Options.MinimumWeight);
        if (UpdatesAt(step))
            Update(samples, Options.PriorOnValidation ? images.ValidationLogLikelihoods(samples) : logLikelihoods);
        if (Options.ProbeEvery > 0 && (step + 1) % Options.ProbeEvery == 0)
            RecordProbe(step + 1, images.ValidationAccuracy(MostProbable(), Options.ProbeImages));
        return loss;
    }

    /// <summary>distribution.json (per decision the options, logits and probabilities, the most probable
    /// architecture), parsec_curve.csv and entropy.png, and the shared weights (supernet.dat, for a transfer with
    /// prior weights).</summary>
    public void WriteArtifacts(string runDirectory, ISupernet supernet)
    {
        Distribution().Save(Path.Combine(runDirectory, ParsecDistribution.FileName));
        var csv = new StringBuilder("updates,entropy,step,val_acc,most_probable\n");
        foreach (var h in History)
            csv.Append(CultureInfo.InvariantCulture, $"{h.Updates},{h.Entropy:R},{h.Step},{h.ValidationAccuracy:R},\"{h.Architecture}\"\n");
        File.WriteAllText(Path.Combine(runDirectory, CurveFile), csv.ToString());
        EntropyPlot.Write(Path.Combine(runDirectory, EntropyPlotFile), History, Space.Decisions.Sum(d => Math.Log(d.Count)));
        supernet.SaveWeights(Path.Combine(runDirectory, SupernetFile));
    }

    /// <summary>Tells the strategy how many supernet steps the search will take, which sizes the automatic π step.</summary>
    public void Plan(long supernetSteps)
    {
        if (supernetSteps < 0) throw new ArgumentOutOfRangeException(nameof(supernetSteps));
        long afterWarmup = supernetSteps - Options.WarmupSteps;
        _plannedUpdates = afterWarmup <= 0 ? 0 : (afterWarmup + Options.PriorEvery - 1) / Options.PriorEvery;
    }

    /// <summary>The step size of the π update: the fixed <see cref="ParsecOptions.PriorLearningRate"/>, or
    /// <see cref="ParsecOptions.AutoTotalStep"/> / (π updates the search makes), which needs <see cref="Plan"/> first.</summary>
    public double LearningRate => Options.PriorLearningRate
        ?? (_plannedUpdates is { } u
            ? ParsecOptions.AutoTotalStep / Math.Max(1, u)
            : throw new InvalidOperationException("PARSEC's automatic π step needs Plan(supernet steps) first, or a fixed PriorLearningRate."));

    public bool UpdatesAt(long step) => step >= Options.WarmupSteps && (step - Options.WarmupSteps) % Options.PriorEvery == 0;

    /// <summary>The logits of decision <paramref name="decision"/> (a copy).</summary>
    public double[] Logits(int decision) => (double[])_logits[decision].Clone();

    /// <summary>p(option | π) at a decision, over the options the space allows after <paramref name="prefix"/>
    /// (all of them in nb201 and enas-micro); disallowed options get 0.</summary>
    public double[] Probabilities(int decision, IReadOnlyList<int>? prefix = null)
    {
        var logits = _logits[decision];
        var p = new double[logits.Length];
        double max = double.NegativeInfinity;
        for (int o = 0; o < p.Length; o++)
            if (Allowed(decision, o, prefix)) max = Math.Max(max, logits[o]);
        double sum = 0;
        for (int o = 0; o < p.Length; o++)
            if (Allowed(decision, o, prefix)) sum += p[o] = Math.Exp(logits[o] - max);
        for (int o = 0; o < p.Length; o++) p[o] /= sum;
        return p;
    }

    private bool Allowed(int decision, int option, IReadOnlyList<int>? prefix) =>
        prefix is null ? option < Space.Decisions[decision].Count : Space.IsAllowed(decision, option, prefix);

    /// <summary>One architecture drawn from p(α|π).</summary>
    public Architecture Sample()
    {
        var choices = new int[Space.Decisions.Count];
        for (int d = 0; d < choices.Length; d++)
        {
            var p = Probabilities(d, new ArraySegment<int>(choices, 0, d));
            double u = _random.NextDouble(), cumulative = 0;
            int pick = -1;
            for (int o = 0; o < p.Length; o++)
            {
                if (p[o] == 0) continue;
                pick = o;
                cumulative += p[o];
                if (u < cumulative) break;
            }
            choices[d] = pick;
        }
        return Space.Create(choices);
    }

    /// <summary>The mode of p(α|π): the most probable option at each decision (the first on ties).</summary>
    public Architecture MostProbable()
    {
        var choices = new int[Space.Decisions.Count];
        for (int d = 0; d < choices.Length; d++)
        {
            var p = Probabilities(d, new ArraySegment<int>(choices, 0, d));
            int best = 0;
            for (int o = 1; o < p.Length; o++) if (p[o] > p[best]) best = o;
            choices[d] = best;
        }
        return Space.Create(choices);
    }

    /// <summary>Entropy of p(α|π) in nats: the sum of the decisions' entropies (they are independent).</summary>
    public double Entropy()
    {
        double h = 0;
        for (int d = 0; d < _logits.Length; d++)
            foreach (var p in Probabilities(d))
                if (p > 0) h -= p * Math.Log(p);
        return h;
    }

    /// <summary>ω = softmax of the log-likelihoods (computed in double, shifted by the maximum).</summary>
    public static double[] ImportanceWeights(IReadOnlyList<double> logLikelihoods)
    {
        if (logLikelihoods.Count == 0) throw new ArgumentException("No samples.");
        double max = logLikelihoods.Max();
        var w = logLikelihoods.Select(l => Math.Exp(l - max)).ToArray();
        double sum = w.Sum();
        for (int k = 0; k < w.Length; k++) w[k] /= sum;
        return w;
    }

    public IReadOnlyList<Architecture> NextTrainingSamples() =>
        Enumerable.Range(0, Options.Samples).Select(_ => Sample()).ToArray();

    public Architecture NextTrainingPath() => Sample();

    /// <summary>Empirical Bayes: π += lr · Σ_k ω_k ∇_π log p(α_k|π), where ∇ at decision d is one-hot(α_kd) − p_d.</summary>
    public double[] Update(IReadOnlyList<Architecture> samples, IReadOnlyList<double> logLikelihoods)
    {
        if (samples.Count != logLikelihoods.Count) throw new ArgumentException("One log-likelihood per sample.");
        var weights = ImportanceWeights(logLikelihoods);
        double lr = LearningRate;
        var gradient = _logits.Select(l => new double[l.Length]).ToArray();
        for (int k = 0; k < samples.Count; k++)
            for (int d = 0; d < _logits.Length; d++)
            {
                var p = Probabilities(d, samples[k].Choices.Take(d).ToArray());
                for (int o = 0; o < p.Length; o++) gradient[d][o] -= weights[k] * p[o];
                gradient[d][samples[k][d]] += weights[k];
            }
        for (int d = 0; d < _logits.Length; d++)
            for (int o = 0; o < _logits[d].Length; o++) _logits[d][o] += lr * gradient[d][o];
        Updates++;
        _history.Add(new ParsecHistoryPoint(Updates, Entropy(), null, null));
        return weights;
    }

    public void RecordProbe(long step, double validationAccuracy) =>
        _history.Add(new ParsecHistoryPoint(Updates, Entropy(), step, validationAccuracy) { Architecture = MostProbable().ToString() });

    /// <summary>The first ask is the mode of p(α|π); later asks are samples from it (the runner ranks them).</summary>
    public Architecture Ask()
    {
        if (_modeAsked) return Sample();
        _modeAsked = true;
        return MostProbable();
    }

    public void Tell(Trial trial) { }

    /// <summary>The learned distribution, for distribution.json and <c>--prior-from</c>.</summary>
    public ParsecDistribution Distribution() => ParsecDistribution.Of(Space, _logits, MostProbable().ToString(), Entropy(), Updates)
        with { LearningRate = Options.PriorLearningRate ?? (_plannedUpdates is null ? null : LearningRate) };

    /// <summary>Starts π from a distribution learned elsewhere (same space; <see cref="ParsecDistribution.CheckSpace"/>).</summary>
    public void ImportPrior(ParsecDistribution prior, string source)
    {
        prior.CheckSpace(Space, source);
        for (int d = 0; d < _logits.Length; d++)
            for (int o = 0; o < _logits[d].Length; o++) _logits[d][o] = prior.Decisions[d].Logits[o];
    }

    /// <summary>Holds no native resources.</summary>
    public void Dispose() { }

    public JsonObject ExportState() => new()
    {
        ["logits"] = new JsonArray(_logits.Select(l => (JsonNode)new JsonArray(l.Select(v => (JsonNode)v).ToArray())).ToArray()),
        ["updates"] = Updates,
        ["mode_asked"] = _modeAsked,
        ["random"] = _random.ToJson(),
        ["history"] = new JsonArray(_history.Select(h => (JsonNode)new JsonObject
        {
            ["updates"] = h.Updates, ["entropy"] = h.Entropy, ["step"] = h.Step, ["val_acc"] = h.ValidationAccuracy,
            ["arch"] = h.Architecture,
        }).ToArray()),
    };

    public void ImportState(JsonObject state)
    {
        var logits = state["logits"]!.AsArray();
        for (int d = 0; d < _logits.Length; d++)
            for (int o = 0; o < _logits[d].Length; o++) _logits[d][o] = logits[d]![o]!.GetValue<double>();
        Updates = state["updates"]!.GetValue<long>();
        _modeAsked = state["mode_asked"]!.GetValue<bool>();
        _random = SeededRandom.FromJson(state["random"]!);
        _history.Clear();
        foreach (var h in state["history"]?.AsArray() ?? [])
            _history.Add(new ParsecHistoryPoint(h!["updates"]!.GetValue<long>(), h["entropy"]!.GetValue<double>(),
                h["step"]?.GetValue<long>(), h["val_acc"]?.GetValue<double>()) { Architecture = h["arch"]?.GetValue<string>() });
    }
}

/// <summary>One point of a PARSEC search's history: after <see cref="Updates"/> π updates, the entropy of p(α|π);
/// on probe points also the supernet step and the most probable architecture's validation accuracy (percent).</summary>
public sealed record ParsecHistoryPoint(long Updates, double Entropy, long? Step, double? ValidationAccuracy)
{
    public string? Architecture { get; init; }
}
