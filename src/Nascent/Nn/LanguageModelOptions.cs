namespace Nascent.Nn;

/// <summary>
/// A word-level language model's size and regularisation. The embedding has the hidden size (as in ENAS and NAO),
/// so the output layer can share the embedding matrix (<see cref="TieWeights"/>). Dropouts, each off at 0:
/// <see cref="DropoutEmbedding"/> drops whole words from the embedding matrix (AWD-LSTM's dropoute);
/// <see cref="DropoutInput"/> drops embedding units with one mask per sequence, the same at every step (ENAS's
/// x mask, NAO's dropouti/dropoutx); <see cref="DropoutHidden"/> does the same to every state a cell node reads
/// (ENAS's h mask, NAO's dropouth; cells only, TorchSharp's LSTM has no recurrent dropout);
/// <see cref="DropoutOutput"/> to the outputs before the decoder (ENAS's o mask, NAO's dropout).
/// <see cref="NormalizeHidden"/> layer-normalises a cell's new hidden state (no parameters): the stabiliser of a
/// searched supernet, as ENAS batch-normalises its search cell's output and DARTS its search cell's states; trained
/// cells (ENAS's fixed arc) go without.
/// </summary>
public sealed record LanguageModelOptions(
    int Vocabulary,
    int HiddenSize = 128,
    bool TieWeights = true,
    double DropoutEmbedding = 0.0,
    double DropoutInput = 0.2,
    double DropoutHidden = 0.1,
    double DropoutOutput = 0.3,
    bool NormalizeHidden = false)
{
    public void Validate()
    {
        if (Vocabulary < 2) throw new NascentException($"A language model needs a vocabulary of at least 2 words (got {Vocabulary}).");
        if (HiddenSize < 1) throw new NascentException($"--hidden must be at least 1 (got {HiddenSize}).");
        foreach (var (name, p) in new[] { ("--dropout-embedding", DropoutEmbedding), ("--dropout-input", DropoutInput),
                     ("--dropout-hidden", DropoutHidden), ("--dropout-output", DropoutOutput) })
            if (!(p >= 0 && p < 1)) throw new NascentException($"{name} must lie in [0, 1) (got {p}).");
    }

    /// <summary>The uniform initialisation bound ENAS uses for this hidden size.</summary>
    public double InitialisationBound => HiddenSize <= 300 ? 0.1 : HiddenSize <= 400 ? 0.05 : 0.04;
}
