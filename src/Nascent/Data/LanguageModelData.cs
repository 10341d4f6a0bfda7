namespace Nascent.Data;

/// <summary>A corpus laid out for language-model training: the training stream in columns of the training batch, the
/// validation stream both in those columns (ENAS's controller reward windows) and in the evaluation columns, the test
/// stream in the evaluation columns.</summary>
public sealed class LanguageModelData : IDisposable
{
    public LanguageModelData(TextCorpus corpus, int batchSize, int evalBatchSize)
    {
        Corpus = corpus;
        Train = TokenBatches.Batchify(corpus.Train, batchSize);
        ValidationTrainColumns = TokenBatches.Batchify(corpus.Validation, Math.Min(batchSize, corpus.Validation.Length / 2));
        ValidationEval = TokenBatches.Batchify(corpus.Validation, evalBatchSize);
        TestEval = TokenBatches.Batchify(corpus.Test, evalBatchSize);
    }

    public TextCorpus Corpus { get; }
    public Tensor Train { get; }
    public Tensor ValidationTrainColumns { get; }
    public Tensor ValidationEval { get; }
    public Tensor TestEval { get; }

    public void Dispose()
    {
        Train.Dispose();
        ValidationTrainColumns.Dispose();
        ValidationEval.Dispose();
        TestEval.Dispose();
    }
}
