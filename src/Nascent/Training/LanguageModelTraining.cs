namespace Nascent.Training;

/// <summary>Training one language model (a standalone cell or the LSTM baseline) for a number of epochs.</summary>
public static class LanguageModelTraining
{
    /// <summary>Trains for <c>training.Epochs</c> passes; returns the tokens per second of training (forward,
    /// backward and step, the data already in memory).</summary>
    public static double Train(LanguageModel model, LanguageModelData data, TrainingOptions training, int bptt,
        IProgress<ProgressEvent>? progress, CancellationToken cancellation = default)
    {
        int windows = TokenBatches.WindowCount(data.Train, bptt);
        using var trainer = new LanguageModelTrainer(model, training, (long)training.Epochs * windows);
        var clock = Stopwatch.StartNew();
        for (int epoch = 0; epoch < training.Epochs; epoch++)
        {
            var bar = new ProgressReporter(progress, $"train {epoch + 1}/{training.Epochs}", windows, "window");
            trainer.TrainEpoch(data.Train, bptt, () => null, bar, cancellation);
        }
        long tokensPerEpoch = (data.Train.shape[0] - 1) * data.Train.shape[1];
        return training.Epochs * tokensPerEpoch / clock.Elapsed.TotalSeconds;
    }
}
