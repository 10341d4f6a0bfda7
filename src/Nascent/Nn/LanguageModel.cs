namespace Nascent.Nn;

/// <summary>
/// A word-level language model: embedding, a recurrent core, and a linear decoder to the vocabulary (its weight
/// the embedding's when tied). Subclasses give the core: <see cref="CellLanguageModel"/> (a searched cell, as a
/// supernet or for one architecture) and <see cref="LstmLanguageModel"/> (TorchSharp's LSTM, the baseline).
/// Tokens are [T, B] (time first); the hidden state is carried by the caller between windows (truncated
/// backpropagation through time: detach it between windows).
/// </summary>
public abstract class LanguageModel : nn.Module
{
    private readonly Embedding embedding;
    private readonly Linear? decoder;
    private readonly Parameter decoderBias;

    protected LanguageModel(string name, LanguageModelOptions options) : base(name)
    {
        options.Validate();
        Options = options;
        embedding = nn.Embedding(options.Vocabulary, options.HiddenSize);
        if (!options.TieWeights) decoder = nn.Linear(options.HiddenSize, options.Vocabulary, hasBias: false);
        decoderBias = new Parameter(zeros(options.Vocabulary));
    }

    public LanguageModelOptions Options { get; }

    /// <summary>Uniform initialisation in ±<see cref="LanguageModelOptions.InitialisationBound"/> from
    /// <paramref name="random"/>, the decoder's bias at zero.</summary>
    protected void Initialise(SeededRandom random)
    {
        ParameterInit.Uniform(this, random, _ => Options.InitialisationBound);
        using var _ = no_grad();
        decoderBias.zero_();
    }

    /// <summary>The state before the first token: zeros.</summary>
    public virtual Tensor InitialHidden(long batch) => zeros(batch, Options.HiddenSize);

    /// <summary>Logits [T·B, vocabulary] for the next token after each of <paramref name="tokens"/> [T, B], and the
    /// hidden state after the last step. A supernet needs the architecture; a standalone model ignores null.</summary>
    public (Tensor Logits, Tensor Hidden) Forward(Tensor tokens, Tensor hidden, Architecture? architecture = null)
    {
        var embedded = EmbedWithDropout(tokens);
        if (training && Options.DropoutInput > 0) embedded = embedded * SequenceMask(embedded, Options.DropoutInput);
        var (outputs, last) = Recur(embedded, hidden, architecture);
        if (training && Options.DropoutOutput > 0) outputs = outputs * SequenceMask(outputs, Options.DropoutOutput);
        var flat = outputs.reshape(-1, Options.HiddenSize);
        var logits = decoder is null ? nn.functional.linear(flat, embedding.weight!, decoderBias) : decoder.call(flat) + decoderBias;
        return (logits, last);
    }

    /// <summary>The recurrent core over embedded inputs [T, B, H].</summary>
    protected abstract (Tensor Outputs, Tensor Hidden) Recur(Tensor embedded, Tensor hidden, Architecture? architecture);

    /// <summary>Embedding lookup; in training, each word of the vocabulary is dropped whole with probability
    /// <see cref="LanguageModelOptions.DropoutEmbedding"/> (the rest scaled up), the same word everywhere in the batch.</summary>
    private Tensor EmbedWithDropout(Tensor tokens)
    {
        if (!training || Options.DropoutEmbedding <= 0) return embedding.call(tokens);
        var weight = embedding.weight!;
        var keep = empty(weight.shape[0], 1).bernoulli_(1 - Options.DropoutEmbedding) / (1 - Options.DropoutEmbedding);
        return (weight * keep).index_select(0, tokens.reshape(-1)).reshape(tokens.shape[0], tokens.shape[1], -1);
    }

    /// <summary>A variational dropout mask [B, features] for a [T, B, features] sequence: the same at every step.</summary>
    protected static Tensor SequenceMask(Tensor sequence, double p) =>
        empty(sequence.shape[1], sequence.shape[2]).bernoulli_(1 - p) / (1 - p);

    /// <summary>Copies the weights this model has from a supernet of the same space and options; every entry of this
    /// model must be found there.</summary>
    public void LoadPathFrom(LanguageModel supernet) => PathWeights.Copy(supernet, this);

    public long ParameterCount() => parameters().Sum(p => p.numel());
}

/// <summary>A language model whose core is a cell of a <see cref="RecurrentCellSpace"/>: a supernet holding every
/// node's weights (weight sharing), or one architecture's cell.</summary>
public sealed class CellLanguageModel : LanguageModel
{
    private readonly RecurrentCell cell;

    /// <param name="fixedArchitecture">Null for a supernet.</param>
    public CellLanguageModel(RecurrentCellSpace space, LanguageModelOptions options, SeededRandom random,
        Architecture? fixedArchitecture = null) : base(nameof(CellLanguageModel), options)
    {
        if (fixedArchitecture is not null && fixedArchitecture.Space.Name != space.Name)
            throw new ArgumentException($"Architecture of space {fixedArchitecture.Space.Name} given to a {space.Name} model.");
        Space = space;
        FixedArchitecture = fixedArchitecture;
        cell = new RecurrentCell(space, options.HiddenSize, options.HiddenSize, fixedArchitecture);
        RegisterComponents();
        Initialise(random);
    }

    public RecurrentCellSpace Space { get; }

    /// <summary>The one architecture a standalone model computes; null for a supernet.</summary>
    public Architecture? FixedArchitecture { get; }

    protected override (Tensor Outputs, Tensor Hidden) Recur(Tensor embedded, Tensor hidden, Architecture? architecture)
    {
        var path = architecture ?? FixedArchitecture
            ?? throw new InvalidOperationException("A supernet needs an architecture to run.");
        if (FixedArchitecture is not null && !FixedArchitecture.Equals(path))
            throw new ArgumentException("A standalone model computes only the architecture it was built for.");
        var mask = training && Options.DropoutHidden > 0
            ? empty(hidden.shape[0], Options.HiddenSize).bernoulli_(1 - Options.DropoutHidden) / (1 - Options.DropoutHidden)
            : null;
        return cell.Forward(embedded, hidden, path, mask, Options.NormalizeHidden);
    }
}

/// <summary>The baseline: TorchSharp's built-in one-layer LSTM of the same hidden size. Its hidden state is [2, B, H]
/// (h and c).</summary>
public sealed class LstmLanguageModel : LanguageModel
{
    private readonly LSTM lstm;

    public LstmLanguageModel(LanguageModelOptions options, SeededRandom random) : base(nameof(LstmLanguageModel), options)
    {
        lstm = nn.LSTM(options.HiddenSize, options.HiddenSize);
        RegisterComponents();
        Initialise(random);
    }

    public override Tensor InitialHidden(long batch) => zeros(2, batch, Options.HiddenSize);

    protected override (Tensor Outputs, Tensor Hidden) Recur(Tensor embedded, Tensor hidden, Architecture? architecture)
    {
        var (outputs, h, c) = lstm.call(embedded, (hidden[0].unsqueeze(0), hidden[1].unsqueeze(0)));
        return (outputs, cat([h, c], 0));
    }
}
