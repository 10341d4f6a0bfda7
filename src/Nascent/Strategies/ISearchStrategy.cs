namespace Nascent.Strategies;

/// <summary>
/// What to try next, in ask/tell form: the runner asks for architectures, measures them, and tells the results.
/// A strategy never trains child networks and never calls an evaluator. Its whole state (including its random
/// generator) can be exported and imported, so a run can resume. Strategies with networks of their own (controllers,
/// NAO's encoder-decoder) hold native tensors: dispose them.
/// </summary>
public interface ISearchStrategy : IDisposable
{
    string Name { get; }
    SearchSpace Space { get; }
    Architecture Ask();
    void Tell(Trial trial);
    JsonObject ExportState();
    void ImportState(JsonObject state);
}

/// <summary>
/// A strategy over shared weights owns its supernet step, the way NNI's one-shot strategies own their training step:
/// the loop draws each batch and hands it to <see cref="TrainStep"/> (one path by default; PARSEC an
/// importance-weighted set; DARTS the mixed operations and an α step). After each supernet epoch the loop asks,
/// scores on one reward minibatch with the shared weights, and tells <see cref="EvaluationsPerEpoch"/>
/// architectures (ENAS's controller samples, NAO-WS's pool; none for RSWS). When the search ends the strategy writes
/// what it learned beside result.json (<see cref="WriteArtifacts"/>).
/// </summary>
public interface IWeightSharingStrategy : ISearchStrategy
{
    int EvaluationsPerEpoch { get; }

    /// <summary>The path of the next one-path supernet step.</summary>
    Architecture NextTrainingPath();

    /// <summary>Called once before training, with the supernet (PARSEC sizes its π step to the steps the search
    /// takes, and may start the shared weights from a prior run).</summary>
    void Prepare(ISupernet supernet) { }

    /// <summary>One supernet step on <paramref name="batch"/>; returns its training loss.</summary>
    double TrainStep(ISupernetBatch batch) => batch.TrainOnPath(NextTrainingPath());

    /// <summary>The architectures the search's result must come from, best first, or null: the loop then asks for
    /// its candidates. NAO-WS gives its pool as last evaluated on the shared weights, so the result is never an
    /// architecture decoded after that evaluation (NAO re-ranks the top of its evaluated pool:
    /// NAO_V1/train_search.py:808-810).</summary>
    IReadOnlyList<Architecture>? RankingCandidates => null;

    /// <summary>Writes the strategy's own files into the run directory (distribution.json, darts.json, ...).</summary>
    void WriteArtifacts(string runDirectory, ISupernet supernet) { }
}
