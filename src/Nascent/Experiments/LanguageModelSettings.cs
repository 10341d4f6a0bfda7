namespace Nascent.Experiments;

/// <summary>
/// What a search or training over a recurrent cell space (enas-rnn, nao-rnn) needs beyond the common options: the
/// corpus (Penn Treebank's files, or any UTF-8 text file), the language model's size and dropouts, and the windows of
/// truncated backpropagation through time. Defaults are sized for a 2-core CPU (ENAS: hidden 1000 on a GPU).
/// </summary>
public sealed record LanguageModelSettings
{
    /// <summary>A UTF-8 text file for <c>--dataset text</c>.</summary>
    [Setting("any UTF-8 text (data set text): lower-cased words, <eos> per line, the last 5 % + 5 % of lines held out for validation and test")]
    public string? TextFile { get; init; }
    /// <summary>Vocabulary of a text file: its most frequent training words, with &lt;unk&gt; and &lt;eos&gt;.</summary>
    [Setting("vocabulary cap of a text file, <unk> and <eos> included", Min = 3)]
    public int VocabularyCap { get; init; } = 10000;
    /// <summary>Use only the first N training tokens (null: all).</summary>
    [Setting("use the first N training tokens (default all)", Min = 2)]
    public int? TrainTokens { get; init; }
    [Setting("embedding and hidden size", Min = 1)]
    public int Hidden { get; init; } = 128;
    [Setting("truncated backpropagation window", Min = 1)]
    public int Bptt { get; init; } = 35;
    /// <summary>Columns of the validation and test streams (PyTorch's word_language_model: 10).</summary>
    [Setting("columns of the validation and test streams", Min = 1)]
    public int EvalBatchSize { get; init; } = 10;
    [Setting("a decoder tied to the embedding (the default), or untied: a decoder of its own")]
    public bool TieWeights { get; init; } = true;
    [Setting("dropout of embedding rows", Min = 0, Max = 1, MaxExclusive = true)]
    public double DropoutEmbedding { get; init; } = 0.0;
    [Setting("dropout of the cell's input", Min = 0, Max = 1, MaxExclusive = true)]
    public double DropoutInput { get; init; } = 0.2;
    [Setting("dropout of the recurrent hidden state", Min = 0, Max = 1, MaxExclusive = true)]
    public double DropoutHidden { get; init; } = 0.1;
    [Setting("dropout of the cell's output", Min = 0, Max = 1, MaxExclusive = true)]
    public double DropoutOutput { get; init; } = 0.3;
    /// <summary>Validation windows each candidate is ranked on with the shared weights (then the best few on all).</summary>
    [Setting("validation windows each candidate is ranked on", Min = 1)]
    public int RankingWindows { get; init; } = 20;
    /// <summary>The baseline <c>nascent train --model lstm</c> trains instead of a cell.</summary>
    [Setting("cell, or lstm: nascent train trains TorchSharp's LSTM baseline")]
    public string Model { get; init; } = "cell";

    public const double DefaultLearningRate = 20;

    /// <summary>The data set when none is named: <c>text</c> with --text, else <c>ptb</c>.</summary>
    public string DefaultDataset => TextFile is null ? "ptb" : "text";

    public LanguageModelOptions ModelOptions(int vocabulary) =>
        new(vocabulary, Hidden, TieWeights, DropoutEmbedding, DropoutInput, DropoutHidden, DropoutOutput);

    public TrainingOptions TrainingOptions(int epochs, int batchSize, double? learningRate) =>
        LanguageModelTrainer.DefaultOptions(epochs, batchSize) with { LearningRate = learningRate ?? DefaultLearningRate };

    /// <summary>Reads the corpus: <c>ptb</c> from the data folder's ptb/ (or <paramref name="dataDir"/>), or
    /// <c>text</c> from <see cref="TextFile"/>; the training stream cut to <see cref="TrainTokens"/>.</summary>
    public TextCorpus LoadCorpus(string dataset, string? dataDir)
    {
        var corpus = dataset switch
        {
            "ptb" => TextCorpus.LoadPtb(Path.Combine(DataDirectories.Resolve(dataDir), "ptb")),
            "text" => TextCorpus.LoadText(TextFile ?? throw new NascentException("--dataset text needs --text FILE: a UTF-8 text file."),
                VocabularyCap),
            _ => throw new NascentException($"A recurrent cell space is searched on text: use --dataset ptb or --dataset text --text FILE (got --dataset {dataset})."),
        };
        return TrainTokens is int n && n < corpus.Train.Length
            ? new TextCorpus(corpus.Description + $", first {n} training tokens", corpus.Vocabulary, corpus.Train[..n],
                corpus.Validation, corpus.Test)
            : corpus;
    }

    public void Validate(string dataset)
    {
        if (dataset is not ("ptb" or "text"))
            throw new NascentException($"A recurrent cell space is searched on text: use --dataset ptb or --dataset text --text FILE (got --dataset {dataset}).");
        if (dataset == "text" && TextFile is null) throw new NascentException("--dataset text needs --text FILE: a UTF-8 text file.");
        if (dataset == "ptb" && TextFile is not null) throw new NascentException("--text FILE goes with --dataset text (got --dataset ptb).");
        if (VocabularyCap < 3) throw new NascentException($"--vocab must be at least 3 (got {VocabularyCap}).");
        if (TrainTokens is < 2) throw new NascentException($"--train-tokens must be at least 2 (got {TrainTokens}).");
        if (Bptt < 1) throw new NascentException($"--bptt must be at least 1 (got {Bptt}).");
        if (EvalBatchSize < 1) throw new NascentException($"--eval-batch-size must be at least 1 (got {EvalBatchSize}).");
        if (RankingWindows < 1) throw new NascentException($"--ranking-windows must be at least 1 (got {RankingWindows}).");
        if (Model is not ("cell" or "lstm")) throw new NascentException($"--model must be cell or lstm (got {Model}).");
        ModelOptions(2).Validate();
    }
}
