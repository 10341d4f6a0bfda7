namespace Nascent.Strategies;

/// <summary>One run of the controller over a space's decisions: the choices, the summed log-probability and
/// entropy of the distributions they were drawn from (with gradients when the run kept them), and the top LSTM
/// layer's hidden state at each decision ([decisions, lstm size]).</summary>
public sealed record ControllerPass(int[] Choices, Tensor LogProbability, Tensor Entropy, Tensor Hidden) : IDisposable
{
    public void Dispose()
    {
        LogProbability.Dispose();
        Entropy.Dispose();
        Hidden.Dispose();
    }
}
