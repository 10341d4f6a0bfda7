namespace Nascent.Training;

/// <summary>
/// A weight-sharing supernet with its data, its trainer and its evaluators, as the one weight-sharing loop uses it
/// (<see cref="Experiments.Execution.WeightSharingSearch"/>), for images (<see cref="ImageSupernet"/>) and for text
/// (<see cref="LanguageModelSupernet"/>). Each step draws the next training batch and hands it to the strategy, which
/// decides what the shared weights learn from it (<see cref="Strategies.IWeightSharingStrategy.TrainStep"/>).
/// </summary>
public interface ISupernet : IDisposable
{
    SearchSpace Space { get; }
    int StepsPerEpoch { get; }
    int Epochs { get; }
    long StepsTaken { get; }

    /// <summary>Called at the start of each epoch (a language model resets its carried hidden state).</summary>
    void BeginEpoch();

    /// <summary>Draws the next training batch and lets <paramref name="step"/> train on it; returns its loss.</summary>
    double Step(Func<ISupernetBatch, double> step);

    /// <summary>The evaluator of the <paramref name="index"/>-th reward (ENAS's controller reward: one validation
    /// minibatch, cycling through the validation set).</summary>
    IEvaluator RewardEvaluator(int index);

    /// <summary>Ranks candidates on a fixed part of the validation set, or on its first <paramref name="share"/> (at
    /// least one image or window: the lower rungs of <see cref="Experiments.Execution.SuccessiveHalving"/>).</summary>
    IEvaluator RankingEvaluator(double share = 1);

    /// <summary>Scores finalists on the whole validation set.</summary>
    IEvaluator FinalEvaluator();

    /// <summary>A trial's score as progress shows it ("91.2%", "ppl 123.4").</summary>
    string Describe(Metrics metrics);

    /// <summary>A smoothed training loss as progress shows it.</summary>
    string DescribeLoss(double loss);

    /// <summary>The weights alone (PARSEC's supernet.dat, its transfer with prior weights).</summary>
    void SaveWeights(string file);
    void LoadWeights(string file);

    /// <summary>Whether <see cref="WriteCheckpoint"/> and <see cref="RestoreCheckpoint"/> are supported.</summary>
    bool CanCheckpoint { get; }

    /// <summary>Writes the weights, optimizer and data order into <paramref name="folder"/>; returns what the
    /// checkpoint's state.json must hold to restore them.</summary>
    JsonObject WriteCheckpoint(string folder);
    void RestoreCheckpoint(JsonObject state, string folder);
}

/// <summary>One training batch of a supernet, and what a strategy may do with it.</summary>
public interface ISupernetBatch
{
    /// <summary>Supernet steps taken before this one.</summary>
    long Step { get; }

    /// <summary>One optimisation step of the shared weights along one path; returns the batch loss.</summary>
    double TrainOnPath(Architecture path);
}

/// <summary>A batch of an image supernet: the steps of PARSEC (importance-weighted) and DARTS (mixed operations)
/// need the images and the validation data.</summary>
public interface IImageSupernetBatch : ISupernetBatch
{
    CellNetwork Supernet { get; }

    /// <summary>One step on the importance-weighted set of <paramref name="samples"/>; returns their batch
    /// log-likelihoods and the ω-weighted loss.</summary>
    (double[] LogLikelihoods, double Loss) TrainImportanceWeighted(IReadOnlyList<Architecture> samples, double minimumWeight);

    /// <summary>One step on the mixed forward weighted by <paramref name="decisionWeights"/>.</summary>
    double TrainMixed(IReadOnlyList<Tensor> decisionWeights);

    /// <summary>The next validation batch (of the training batch size), for bilevel updates.</summary>
    (Tensor Images, Tensor Labels) NextValidationBatch();

    /// <summary>The batch log-likelihoods of <paramref name="samples"/> on the next validation batch.</summary>
    double[] ValidationLogLikelihoods(IReadOnlyList<Architecture> samples);

    /// <summary>Accuracy in percent of one path on the first <paramref name="images"/> validation images.</summary>
    double ValidationAccuracy(Architecture path, int images);
}
