using TorchSharp.PyBridge;
using Nascent.Experiments.Search;

namespace Nascent.Experiments.Train;

/// <summary>`nascent train` for language models: a recurrent cell (from --arch or a search run) or the LSTM baseline
/// (--model lstm), trained from scratch on the corpus; reports validation and test perplexity and training tokens per
/// second. Writes config.json, trials.db, result.json (the perplexities in best.costs) and language_model.safetensors.</summary>
public static class LanguageModelTrainExperiment
{
    public const string LstmName = "lstm";

    /// <summary>The trained weights (safetensors; not nascent export's model.safetensors, which holds image networks).</summary>
    public const string WeightsFile = "language_model.safetensors";

    /// <param name="architecture">The cell to train; null for the LSTM baseline.</param>
    public static SearchResult Run(TrainConfig config, Architecture? architecture, string dataset, IProgress<ProgressEvent>? progress,
        CancellationToken cancellation)
    {
        var settings = InheritCorpus(config);
        settings.Validate(dataset);
        var training = settings.TrainingOptions(config.Training.Epochs, config.Training.BatchSize, config.Training.LearningRate);
        training.Validate();
        var clock = Stopwatch.StartNew();
        var corpus = settings.LoadCorpus(dataset, config.Data.DataDir);
        var run = RunDirectory.Create(config.Out, "train");
        run.WriteJson("config.json", config with
        {
            Out = run.Path, Arch = architecture?.ToString(), Space = architecture?.Space.Name, Data = config.Data with { Dataset = dataset },
            Language = settings,
        });
        manual_seed((long)(config.Seed & long.MaxValue));
        using var data = new LanguageModelData(corpus, config.Training.BatchSize, settings.EvalBatchSize);
        var options = settings.ModelOptions(corpus.Vocabulary.Count);
        using var model = architecture is null
            ? (LanguageModel)new LstmLanguageModel(options, new SeededRandom(config.Seed))
            : new CellLanguageModel((RecurrentCellSpace)architecture.Space, options, new SeededRandom(config.Seed), architecture);
        progress.Message($"{corpus.Description}: vocabulary {corpus.Vocabulary.Count}, tokens {corpus.Train.Length} train, " +
            $"{corpus.Validation.Length} validation, {corpus.Test.Length} test");
        double tokensPerSecond;
        try
        {
            tokensPerSecond = LanguageModelTraining.Train(model, data, training, settings.Bptt, progress, cancellation);
        }
        catch (TrainingDivergedException e)
        {
            throw new NascentException($"Training diverged ({e.Message}); try a lower --lr.");
        }
        var (validation, loss, _) = Perplexity.Measure(model, null, data.ValidationEval, settings.Bptt);
        var (test, _, _) = Perplexity.Measure(model, null, data.TestEval, settings.Bptt);
        model.save_safetensors(run.File(WeightsFile));
        string name = architecture?.ToString() ?? LstmName;
        var metrics = LanguageModelScore.Of(validation, loss, model.ParameterCount(), test);
        using (var store = new TrialStore(run.File(TrialStore.FileName)))
        {
            if (architecture is not null)
                new TrialRunner(store, progress).Run(architecture, new Fixed(metrics), TrialPhase.Trial, null, cancellation);
        }
        var costs = new Dictionary<string, double>
        {
            ["validation_perplexity"] = validation, ["test_perplexity"] = test, ["tokens_per_second"] = tokensPerSecond,
        };
        var result = new SearchResult("train", "train", architecture?.Space.Name ?? LstmName, dataset, config.Seed,
            new BestArchitecture(name, metrics.Accuracy, null, model.ParameterCount(), costs), 1, 0, clock.Elapsed.TotalSeconds,
            [new RankedArchitecture(name, metrics.Accuracy, model.ParameterCount())], run.Path);
        run.WriteJson("result.json", result);
        return result;
    }

    /// <summary>With --from a language-model search and no corpus named, the search's corpus (text file, vocabulary cap,
    /// training tokens).</summary>
    private static LanguageModelSettings InheritCorpus(TrainConfig config)
    {
        if (config.From is null || config.Language.TextFile is not null) return config.Language;
        string path = Path.Combine(config.From, "config.json");
        if (!File.Exists(path)) return config.Language;
        var searched = RunDirectory.ReadJson<SearchConfig>(path).Language;
        return config.Language with
        {
            TextFile = searched.TextFile, VocabularyCap = searched.VocabularyCap,
            TrainTokens = config.Language.TrainTokens ?? searched.TrainTokens,
        };
    }

    /// <summary>Records the measured trial in the run's store.</summary>
    private sealed class Fixed(Metrics metrics) : IEvaluator
    {
        public Metrics Evaluate(Architecture architecture, CancellationToken cancellation = default) => metrics;
    }
}
