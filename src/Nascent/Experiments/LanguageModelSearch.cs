using System.Diagnostics;
using Nascent.Core;
using Nascent.Data;
using Nascent.Evaluation;
using Nascent.Nn;
using Nascent.Spaces;
using Nascent.Strategies;
using Nascent.Training;
using static TorchSharp.torch;

namespace Nascent.Experiments;

/// <summary>
/// A search over a recurrent cell space (enas-rnn, nao-rnn) for a word-level language model, on Penn Treebank or a
/// text file. Weight-sharing strategies (enas, enas-memory, rsws, nao-ws) train one supernet language model: each
/// training window runs the path the strategy names, the hidden state carried across windows; after each epoch the
/// strategy's asks are scored on one validation window of the training batch's columns (ENAS's controller reward,
/// c / perplexity) and told. Then candidates are ranked on the first validation windows and the best few re-scored on
/// the whole validation stream. One-at-a-time strategies (rs, rea, reinforce, nao) train every candidate's model from
/// scratch. The objective of every trial is ENAS's reward (<see cref="LanguageModelScore"/>).
/// </summary>
public static class LanguageModelSearch
{
    public static IReadOnlyList<string> WeightSharingNames { get; } = ["rsws", "enas", "enas-memory", "nao-ws"];

    public static void Validate(SearchConfig config)
    {
        if (config.IsTabular) throw new NascentException($"No tabular benchmark of {config.Space} is known: drop --table.");
        config.Language.Validate(config.Dataset);
        if (config.Language.Model != "cell")
            throw new NascentException("--model lstm trains the LSTM baseline with nascent train; a search searches cells.");
        if (config.IsWeightSharing && !WeightSharingNames.Contains(config.Strategy))
            throw new NascentException($"--strategy {config.Strategy} is not defined for recurrent cells here; use " +
                $"{string.Join(", ", WeightSharingNames)} (shared weights) or rs, rea, reinforce, nao (each candidate trained).");
        if (!config.IsWeightSharing && !StrategyCatalog.Names.Append("random").Contains(config.Strategy))
            throw new NascentException($"Unknown strategy '{config.Strategy}': use {string.Join(", ", WeightSharingNames.Concat(StrategyCatalog.Names))}.");
        if (StrategyCatalog.MultiObjectiveNames.Contains(config.Strategy) || config.IsMultiObjective)
            throw new NascentException("A language-model search has no device costs here: drop --cost and use enas, rsws, nao-ws, rs, rea, reinforce or nao.");
        if (config.LatencyTable is not null) throw new NascentException("--latency-table prices image networks; a language-model search takes none.");
        if (config.PriorFrom is not null) throw new NascentException("--prior-from belongs to --strategy parsec, which is not defined for recurrent cells here.");
        if (config.Strategy is "enas" or "enas-memory" or "reinforce") config.ControllerOptions().Validate();
        if (config.Strategy == "enas-memory") config.MemoryOptions().Validate();
        if (config.Strategy is "nao" or "nao-ws") config.NaoOptions().Validate();
        if (config.Strategy == "rea") config.EvolutionOptions().Validate();
        if (config.Candidates < 1) throw new NascentException($"--candidates must be at least 1 (got {config.Candidates}).");
        if (config.FinalTop < 1) throw new NascentException($"--final-top must be at least 1 (got {config.FinalTop}).");
        config.CreateSpace();
        config.Language.TrainingOptions(config.Epochs, config.BatchSize, config.LearningRate).Validate();
    }

    public static SearchResult Run(SearchConfig config, TextWriter? progress, CancellationToken cancellation, bool resume)
    {
        Validate(config);
        if (resume) throw new NascentException("A language-model search cannot be resumed yet: start it again with another --out.");
        var clock = Stopwatch.StartNew();
        var space = (RecurrentCellSpace)config.CreateSpace();
        var settings = config.Language;
        var corpus = settings.LoadCorpus(config.Dataset, config.DataDir); // missing data fails before the run folder exists
        var (run, store, runner, _) = SearchExperiment.Open(config, space, resume: false, progress);
        using var _store = store;
        manual_seed((long)(config.Seed & long.MaxValue));
        using var data = new LanguageModelData(corpus, config.BatchSize, settings.EvalBatchSize);
        var options = settings.ModelOptions(corpus.Vocabulary.Count);
        var training = settings.TrainingOptions(config.Epochs, config.BatchSize, config.LearningRate);
        progress?.WriteLine($"{corpus.Description}: vocabulary {corpus.Vocabulary.Count}, tokens {corpus.Train.Length} train, " +
            $"{corpus.Validation.Length} validation, {corpus.Test.Length} test");

        Trial best;
        if (config.IsWeightSharing)
        {
            var strategy = StrategyCatalog.CreateWeightSharing(config.Strategy, space, config.Seed, config.StrategyOptions());
            using var owned = strategy as IDisposable;
            // Normalised as ENAS's and DARTS's search cells are: without it a NAO-WS supernet diverged within 8 steps.
            using var supernet = new CellLanguageModel(space, options with { NormalizeHidden = true }, new SeededRandom(config.Seed));
            best = SearchSupernet(strategy, supernet, data, training, config, runner, progress, cancellation);
            run.WriteJson(SearchExperiment.StrategyStateFile, strategy.ExportState());
        }
        else
        {
            var strategy = StrategyCatalog.Create(config.Strategy, space, config.Seed, config.StrategyOptions());
            using var owned = strategy as IDisposable;
            var evaluator = new LanguageModelTrainingEvaluator(data, options, training, settings.Bptt, config.Seed, null);
            best = new StandaloneSearch(runner, progress).Run(strategy, evaluator, config.Candidates, cancellation);
        }
        var result = new SearchResult("search", config.Strategy, space.Name, config.Dataset, config.Seed,
            new BestArchitecture(best.Architecture.ToString(), best.Metrics!.Accuracy, null, best.Metrics.Parameters ?? 0,
                new Dictionary<string, double> { ["validation_perplexity"] = LanguageModelScore.PerplexityOf(best.Metrics) }),
            runner.Trials.Count, runner.Trials.Count(t => t.Status == TrialStatus.Failed), clock.Elapsed.TotalSeconds,
            SearchExperiment.Ranking(runner), run.Path);
        run.WriteJson("result.json", result);
        return result;
    }

    private static Trial SearchSupernet(IWeightSharingStrategy strategy, CellLanguageModel supernet, LanguageModelData data,
        TrainingOptions training, SearchConfig config, TrialRunner runner, TextWriter? progress, CancellationToken cancellation)
    {
        int bptt = config.Language.Bptt;
        int windows = TokenBatches.WindowCount(data.Train, bptt);
        int rewardWindows = TokenBatches.WindowCount(data.ValidationTrainColumns, bptt), rewardWindow = 0;
        using var trainer = new LanguageModelTrainer(supernet, training, (long)training.Epochs * windows);
        for (int epoch = 0; epoch < training.Epochs; epoch++)
        {
            var bar = new ProgressBar(progress, $"supernet {epoch + 1}/{training.Epochs}", windows, "window");
            try
            {
                trainer.TrainEpoch(data.Train, bptt, strategy.NextTrainingPath, bar, cancellation);
            }
            catch (TrainingDivergedException e)
            {
                throw new NascentException($"The supernet diverged ({e.Message}); lower --lr.");
            }
            int evaluations = strategy.EvaluationsPerEpoch;
            var controllerBar = new ProgressBar(evaluations > 0 ? progress : null, $"controller {epoch + 1}/{training.Epochs}", evaluations, "arch");
            for (int i = 0; i < evaluations; i++)
            {
                var evaluator = new SharedWeightsPerplexityEvaluator(supernet, data.ValidationTrainColumns, bptt,
                    rewardWindow++ % rewardWindows, 1);
                var trial = runner.Run(strategy.Ask(), evaluator, WeightSharingSearch.ControllerPhase, strategy, cancellation);
                controllerBar.SetStatus(trial.Metrics is null ? "failed" : $"ppl {LanguageModelScore.PerplexityOf(trial.Metrics):F1}");
                controllerBar.Advance();
            }
        }
        return Rank(strategy, supernet, data, config, runner, progress, cancellation);
    }

    /// <summary>Distinct asked candidates ranked on the first validation windows, then the best few on all of them.</summary>
    private static Trial Rank(IWeightSharingStrategy strategy, CellLanguageModel supernet, LanguageModelData data,
        SearchConfig config, TrialRunner runner, TextWriter? progress, CancellationToken cancellation)
    {
        int bptt = config.Language.Bptt;
        var rankEvaluator = new SharedWeightsPerplexityEvaluator(supernet, data.ValidationEval, bptt, 0,
            config.Language.RankingWindows);
        var bar = new ProgressBar(progress, "rank", config.Candidates, "arch");
        var seen = new HashSet<Architecture>();
        var ranked = new List<Trial>();
        const int duplicateRetries = 20;
        for (int i = 0; i < config.Candidates; i++)
        {
            var candidate = strategy.Ask();
            for (int r = 0; r < duplicateRetries && seen.Contains(candidate); r++) candidate = strategy.Ask();
            if (!seen.Add(candidate)) { bar.Advance(); continue; }
            var trial = runner.Run(candidate, rankEvaluator, WeightSharingSearch.RankPhase, null, cancellation);
            ranked.Add(trial);
            var leader = ranked.Where(t => t.Status == TrialStatus.Done).MaxBy(t => t.Objective);
            if (leader is not null) bar.SetStatus($"best ppl {LanguageModelScore.PerplexityOf(leader.Metrics!):F1}", leader.Objective);
            bar.Advance();
        }
        var finalEvaluator = new SharedWeightsPerplexityEvaluator(supernet, data.ValidationEval, bptt, 0, null);
        var top = ranked.Where(t => t.Status == TrialStatus.Done).OrderByDescending(t => t.Objective)
            .Take(config.FinalTop).Select(t => t.Architecture).ToList();
        if (top.Count == 0) throw new NascentException("Every candidate failed; nothing to return (see failure reasons in trials.db).");
        return top.Select(a => runner.Run(a, finalEvaluator, WeightSharingSearch.FinalPhase, null, cancellation))
            .Where(t => t.Status == TrialStatus.Done).MaxBy(t => t.Objective)
            ?? throw new NascentException("Every finalist failed on the full validation set (see trials.db).");
    }
}
