using Nascent.Spaces;

namespace Nascent.Strategies;

/// <summary>
/// A weight-sharing strategy that trains the supernet on an importance-weighted set of architectures per step
/// (PARSEC): the runner scores <see cref="NextTrainingSamples"/> on the batch, trains the shared weights on the
/// ω-weighted losses one architecture at a time, and hands the batch log-likelihoods back through
/// <see cref="Update"/>. The strategy still never trains anything itself.
/// </summary>
public interface IImportanceWeightedStrategy : IWeightSharingStrategy
{
    /// <summary>The K architectures of the next supernet step.</summary>
    IReadOnlyList<Architecture> NextTrainingSamples();

    /// <summary>Samples whose importance weight is below this get no backward pass (see <see cref="ParsecOptions.MinimumWeight"/>).</summary>
    double MinimumWeight { get; }

    /// <summary>Whether the distribution learns from validation-batch likelihoods (else from the training batch's).</summary>
    bool UpdatesOnValidation { get; }

    /// <summary>Called once before training with the number of supernet steps the search will take.</summary>
    void Plan(long supernetSteps);

    /// <summary>Whether the distribution is updated after supernet step <paramref name="step"/> (0-based).</summary>
    bool UpdatesAt(long step);

    /// <summary>Learns from the batch log-likelihoods of the samples; returns their importance weights.</summary>
    double[] Update(IReadOnlyList<Architecture> samples, IReadOnlyList<double> logLikelihoods);

    /// <summary>The architecture the strategy currently believes best (PARSEC: the mode of p(α|π)).</summary>
    Architecture MostProbable();

    /// <summary>Every that many supernet steps the runner scores <see cref="MostProbable"/> on validation
    /// images and reports it with <see cref="RecordProbe"/>; 0 for never.</summary>
    int ProbeEvery { get; }

    int ProbeImages { get; }

    void RecordProbe(long step, double validationAccuracy);
}
