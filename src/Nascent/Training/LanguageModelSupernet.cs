namespace Nascent.Training;

/// <summary>
/// A language-model supernet (<see cref="CellLanguageModel"/>) with its truncated-BPTT trainer and corpus: each step
/// is one training window, the hidden state carried across windows (and across the paths of different windows, as
/// ENAS does) and reset at each epoch. A reward is the perplexity of one validation window of the training batch's
/// columns, cycling; ranking uses the first <paramref name="rankingWindows"/> windows of the validation stream and
/// the final score all of it. Checkpoints are not supported yet (the hidden state and the stream position would
/// have to be saved).
/// </summary>
public sealed class LanguageModelSupernet(CellLanguageModel model, LanguageModelData data, TrainingOptions training, int bptt,
    int rankingWindows) : ISupernet
{
    private readonly LanguageModelTrainer _trainer = new(model, training,
        (long)training.Epochs * TokenBatches.WindowCount(data.Train, bptt));
    private int _window;

    public CellLanguageModel Model { get; } = model;
    public SearchSpace Space => Model.Space;
    public int StepsPerEpoch { get; } = TokenBatches.WindowCount(data.Train, bptt);
    public int Epochs { get; } = training.Epochs;
    public long StepsTaken => _trainer.Trainer.StepsTaken;

    public void BeginEpoch()
    {
        _trainer.ResetHidden();
        _window = 0;
    }

    public double Step(Func<ISupernetBatch, double> step)
    {
        using var scope = NewDisposeScope();
        var (input, target) = TokenBatches.Window(data.Train, (long)_window++ * bptt, bptt);
        return step(new Window(this, input, target));
    }

    public IEvaluator RewardEvaluator(int index) => new SharedWeightsPerplexityEvaluator(Model, data.ValidationTrainColumns, bptt,
        index % TokenBatches.WindowCount(data.ValidationTrainColumns, bptt), 1);

    public IEvaluator RankingEvaluator(double share = 1) =>
        new SharedWeightsPerplexityEvaluator(Model, data.ValidationEval, bptt, 0, Math.Max(1, (int)Math.Round(share * rankingWindows)));

    public IEvaluator FinalEvaluator() => new SharedWeightsPerplexityEvaluator(Model, data.ValidationEval, bptt, 0, null);

    public string Describe(Metrics metrics) => $"ppl {LanguageModelScore.PerplexityOf(metrics):F1}";

    public string DescribeLoss(double loss) => $"ppl {Perplexity.FromLoss(loss):F1}";

    public void SaveWeights(string file) => Model.save(file);

    public void LoadWeights(string file) => Model.load(file);

    public bool CanCheckpoint => false;

    public JsonObject WriteCheckpoint(string folder) =>
        throw new NotSupportedException("A language-model supernet cannot be checkpointed yet.");

    public void RestoreCheckpoint(JsonObject state, string folder) =>
        throw new NotSupportedException("A language-model supernet cannot be checkpointed yet.");

    /// <summary>The model and its trainer belong to this supernet; the corpus is the caller's.</summary>
    public void Dispose()
    {
        _trainer.Dispose();
        Model.Dispose();
    }

    private sealed class Window(LanguageModelSupernet owner, Tensor input, Tensor target) : ISupernetBatch
    {
        public long Step => owner.StepsTaken;

        public double TrainOnPath(Architecture path) => owner._trainer.Step(input, target, path);
    }
}
