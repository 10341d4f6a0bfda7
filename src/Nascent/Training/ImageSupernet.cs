namespace Nascent.Training;

/// <summary>
/// An image supernet (<see cref="CellNetwork"/>) with its SGD trainer and data. Training batches come in a seeded
/// order, dropping the last partial batch; validation batches of the training batch size (DARTS's α steps, PARSEC's
/// bilevel π updates) come from a second seeded order. A reward scores one minibatch of
/// <paramref name="rewardImages"/> validation images, cycling through the validation set; ranking scores the first
/// <paramref name="rankingImages"/> (or a share of them); the final score uses all of them.
/// </summary>
public sealed class ImageSupernet : ISupernet
{
    private const string SupernetFile = "supernet.dat", OptimizerFile = "optimizer.dat";
    private const int EvaluationBatch = 500;
    private readonly DataSplits _data;
    private readonly BatchSampler _train, _validation;
    private readonly Trainer _trainer;
    private readonly int _rewardImages, _rankingImages;

    public ImageSupernet(CellNetwork network, DataSplits data, TrainingOptions training, ulong seed, int rewardImages,
        int rankingImages)
    {
        Network = network;
        _data = data;
        Epochs = training.Epochs;
        _train = new BatchSampler(data.Train, Math.Min(training.BatchSize, data.Train.Count), seed, dropLast: true);
        _validation = new BatchSampler(data.Validation, Math.Min(training.BatchSize, data.Validation.Count), seed + 1, dropLast: true);
        _trainer = new Trainer(network, training, (long)training.Epochs * _train.BatchesPerEpoch);
        _rewardImages = Math.Min(rewardImages, data.Validation.Count);
        _rankingImages = Math.Min(rankingImages, data.Validation.Count);
    }

    public CellNetwork Network { get; }
    public SearchSpace Space => Network.Space;
    public int StepsPerEpoch => _train.BatchesPerEpoch;
    public int Epochs { get; }
    public long StepsTaken => _trainer.StepsTaken;

    public void BeginEpoch() { }

    public double Step(Func<ISupernetBatch, double> step)
    {
        using var scope = NewDisposeScope();
        var (images, labels) = _train.Next();
        return step(new Batch(this, images, labels));
    }

    public IEvaluator RewardEvaluator(int index)
    {
        int batches = _data.Validation.Count / _rewardImages;
        var (images, labels) = _data.Validation.Slice(_rewardImages * (index % batches), _rewardImages);
        return new SharedWeightsEvaluator(Network, images, labels, _rewardImages);
    }

    public IEvaluator RankingEvaluator(double share = 1)
    {
        int count = Math.Max(1, (int)Math.Round(share * _rankingImages));
        var (images, labels) = _data.Validation.Slice(0, count);
        return new SharedWeightsEvaluator(Network, images, labels, Math.Min(EvaluationBatch, count));
    }

    public IEvaluator FinalEvaluator() => new SharedWeightsEvaluator(Network, _data.Validation.Images, _data.Validation.Labels,
        Math.Min(EvaluationBatch, _data.Validation.Count));

    public string Describe(Metrics metrics) => $"{metrics.Accuracy:F2}%";

    public string DescribeLoss(double loss) => $"loss {loss:F3}";

    public void SaveWeights(string file) => Network.save(file);

    public void LoadWeights(string file) => Load(file);

    /// <summary>Loads the supernet's weights; a file of another layout is one clear line.</summary>
    private void Load(string file)
    {
        try
        {
            Network.load(file);
        }
        catch (Exception e) when (e is not NascentException && File.Exists(file))
        {
            throw new NascentException($"{file} does not fit this {Space.Name} supernet: it holds another network layout " +
                "(runs before ENAS micro's separable convolutions were stacked twice with weights per input, and before " +
                "NAS-Bench-201's search cells lost their batch norms' affine parameters, cannot be resumed or reused); start a new run.");
        }
    }

    public bool CanCheckpoint => true;

    public JsonObject WriteCheckpoint(string folder)
    {
        Network.save(Path.Combine(folder, SupernetFile));
        _trainer.SaveOptimizer(Path.Combine(folder, OptimizerFile));
        return new JsonObject
        {
            ["steps"] = _trainer.StepsTaken, ["train_position"] = Json(_train.Position),
            ["validation_position"] = Json(_validation.Position),
        };
    }

    public void RestoreCheckpoint(JsonObject state, string folder)
    {
        Load(Path.Combine(folder, SupernetFile));
        _trainer.Restore(Path.Combine(folder, OptimizerFile), state["steps"]!.GetValue<long>());
        _train.Restore(Position(state["train_position"]!));
        _validation.Restore(Position(state["validation_position"]!));
    }

    private static JsonObject Json(SamplerPosition position) => new() { ["epoch"] = position.Epoch, ["index"] = position.Index };

    private static SamplerPosition Position(JsonNode json) => new(json["epoch"]!.GetValue<int>(), json["index"]!.GetValue<int>());

    /// <summary>The network and its trainer belong to this supernet; the data is the caller's.</summary>
    public void Dispose()
    {
        _trainer.Dispose();
        Network.Dispose();
    }

    private sealed class Batch(ImageSupernet owner, Tensor images, Tensor labels) : IImageSupernetBatch
    {
        public long Step => owner._trainer.StepsTaken;
        public CellNetwork Supernet => owner.Network;

        public double TrainOnPath(Architecture path) => owner._trainer.Step(images, labels, path).Loss;

        public (double[] LogLikelihoods, double Loss) TrainImportanceWeighted(IReadOnlyList<Architecture> samples, double minimumWeight)
        {
            var (logLikelihoods, _, loss) = owner._trainer.StepImportanceWeighted(images, labels, samples, minimumWeight);
            return (logLikelihoods, loss);
        }

        public double TrainMixed(IReadOnlyList<Tensor> decisionWeights) =>
            owner._trainer.Step(images, labels, x => owner.Network.ForwardMixed(x, decisionWeights)).Loss;

        public (Tensor Images, Tensor Labels) NextValidationBatch() => owner._validation.Next();

        public double[] ValidationLogLikelihoods(IReadOnlyList<Architecture> samples)
        {
            var (valImages, valLabels) = owner._validation.Next();
            return ImportanceWeightedUpdate.LogLikelihoods(owner.Network, valImages, valLabels, samples);
        }

        public double ValidationAccuracy(Architecture path, int count)
        {
            count = Math.Min(count, owner._data.Validation.Count);
            var (probeImages, probeLabels) = owner._data.Validation.Slice(0, count);
            return Accuracy.Measure(owner.Network, path, probeImages, probeLabels, Math.Min(EvaluationBatch, count)).AccuracyPercent;
        }
    }
}
