using Nascent.Experiments.Search;

namespace Nascent.Experiments.Train;

/// <summary>`nascent train`: trains one architecture from scratch, measures validation and test accuracy, writes
/// result.json (same schema as a search, strategy "train"), the trial in trials.db and the trained weights
/// (model.safetensors, for nascent export).</summary>
public static class TrainExperiment
{
    public static SearchResult Run(TrainConfig config, IProgress<ProgressEvent>? progress = null, CancellationToken cancellation = default)
    {
        if (config.Language.Model == LanguageModelTrainExperiment.LstmName)
        {
            if (config.Arch is not null || config.From is not null)
                throw new NascentException("--model lstm trains the LSTM baseline, which has no architecture: drop --arch and --from.");
            return LanguageModelTrainExperiment.Run(config, null, config.Data.Dataset ?? config.Language.DefaultDataset,
                progress, cancellation);
        }
        var (architecture, dataset) = config.Resolve();
        if (architecture.Space is Spaces.RecurrentCellSpace)
            return LanguageModelTrainExperiment.Run(config, architecture, dataset, progress, cancellation);
        Settings.Validate(config);
        config.Training.ImageOptions().Validate();
        var dataSettings = config.DataFor(dataset);
        dataSettings.Validate();
        var clock = Stopwatch.StartNew();
        var run = RunDirectory.Create(config.Out, "train");
        run.WriteJson("config.json", config with { Out = run.Path, Arch = architecture.ToString(), Space = architecture.Space.Name, Data = dataSettings });
        using var data = DatasetLoader.Load(config.DataOptions(dataset), progress);
        run.WriteJson(RunData.FileName, RunData.Of(dataset, data.Train, dataSettings.ImageSize));
        using var store = new TrialStore(run.File(TrialStore.FileName));
        var runner = new TrialRunner(store, progress);
        var evaluator = new Evaluator(config, data, progress, run.File(Export.TrainedModel.WeightsFile));
        var trial = runner.Run(architecture, evaluator, TrialPhase.Trial, null, cancellation);
        if (trial.Status == TrialStatus.Failed)
            throw new NascentException($"Training diverged: {trial.FailureReason}; try a lower --lr.");
        var m = trial.Measured;
        var result = new SearchResult("train", "train", architecture.Space.Name, dataset, config.Seed,
            new BestArchitecture(architecture.ToString(), m.Accuracy, m.TestAccuracy, m.Parameters ?? 0),
            1, 0, clock.Elapsed.TotalSeconds, [new RankedArchitecture(architecture.ToString(), m.Accuracy, m.Parameters)], run.Path);
        run.WriteJson("result.json", result);
        return result;
    }

    private sealed class Evaluator(TrainConfig config, DataSplits data, IProgress<ProgressEvent>? progress, string weightsPath) : IEvaluator
    {
        public Metrics Evaluate(Spaces.Architecture architecture, CancellationToken cancellation = default)
        {
            var training = config.Training.ImageOptions();
            var steps = (long)training.Epochs * (data.Train.Count / Math.Min(training.BatchSize, data.Train.Count));
            var bar = new ProgressReporter(progress, "train", steps, "step");
            using var network = ChildTraining.Train(architecture, config.NetworkOptions(data.Train), training, data.Train,
                config.Seed, bar, cancellation);
            var (val, loss) = Accuracy.Measure(network, architecture, data.Validation.Images, data.Validation.Labels, 500);
            var (test, _) = Accuracy.Measure(network, architecture, data.Test.Images, data.Test.Labels, 500);
            Export.TrainedModel.Save(network, weightsPath); // for nascent export
            return new Metrics(val, loss, network.ParameterCount(), TestAccuracy: test);
        }
    }
}
