using Nascent.Data;
using Nascent.Nn;
using Nascent.Spaces;
using Nascent.Training;

namespace Nascent.Evaluation;

/// <summary>Trains each architecture's own network from scratch for a few epochs and measures validation accuracy.
/// Every candidate gets the same initialisation seed and data order, so differences come from the architecture.</summary>
public sealed class ScratchTrainingEvaluator(NetworkOptions network, TrainingOptions training, DataSplits data, ulong seed)
    : IEvaluator
{
    public Metrics Evaluate(Architecture architecture, CancellationToken cancellation = default)
    {
        using var trained = ChildTraining.Train(architecture, network, training, data.Train, seed, cancellation: cancellation);
        var (accuracy, loss) = Accuracy.Measure(trained, architecture, data.Validation.Images, data.Validation.Labels, 500);
        return new Metrics(accuracy, loss, trained.ParameterCount());
    }
}
