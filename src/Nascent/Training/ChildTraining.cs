namespace Nascent.Training;

/// <summary>Trains one architecture's own network from scratch (random search's candidates, `nascent train`).</summary>
public static class ChildTraining
{
    /// <summary>Builds the network (initialised from <paramref name="seed"/>) and trains it; the caller disposes it.
    /// Throws <see cref="TrainingDivergedException"/> when the loss diverges.</summary>
    public static CellNetwork Train(Architecture architecture, NetworkOptions networkOptions, TrainingOptions training,
        ImageDataset trainSet, ulong seed, ProgressReporter? progress = null, CancellationToken cancellation = default)
    {
        training.Validate();
        manual_seed((long)(seed & long.MaxValue));
        var network = NetworkFactory.CreateStandalone(architecture, networkOptions);
        try
        {
            var sampler = new BatchSampler(trainSet, Math.Min(training.BatchSize, trainSet.Count), seed, dropLast: true);
            long steps = (long)training.Epochs * sampler.BatchesPerEpoch;
            using var trainer = new Trainer(network, training, steps);
            for (long step = 0; step < steps; step++)
            {
                cancellation.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var (images, labels) = sampler.Next();
                var (loss, _) = trainer.Step(images, labels, architecture);
                if (progress is not null)
                {
                    progress.SetStatus($"loss {loss:F3}");
                    progress.Advance();
                }
            }
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }
}
