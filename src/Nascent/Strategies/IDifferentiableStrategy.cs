using Nascent.Nn;
using Nascent.Spaces;
using static TorchSharp.torch;

namespace Nascent.Strategies;

/// <summary>
/// A weight-sharing strategy over a continuous relaxation of the space (DARTS): the supernet trains on the mixed
/// forward weighted by <see cref="MixingWeights"/>, and the strategy's architecture parameters take their own steps
/// on validation batches (<see cref="UpdateArchitecture"/>). Its answer is the discretised architecture.
/// </summary>
public interface IDifferentiableStrategy : IWeightSharingStrategy
{
    /// <summary>Per decision, the weights over its options (softmax of the architecture parameters);
    /// detached for the weight step, attached for the architecture step.</summary>
    IReadOnlyList<Tensor> MixingWeights(bool detached);

    /// <summary>One step of the architecture parameters on a validation batch (first order: the shared weights as they are).</summary>
    double UpdateArchitecture(CellNetwork supernet, Tensor images, Tensor labels);

    /// <summary>The discrete architecture: the highest-weighted option at each decision.</summary>
    Architecture Discretise();
}
