using System.Text.Json.Nodes;
using Nascent.Spaces;

namespace Nascent.Strategies;

/// <summary>
/// What to try next, in ask/tell form: the runner asks for architectures, measures them, and tells the results.
/// A strategy never trains child networks and never calls an evaluator. Its whole state (including its random
/// generator) can be exported and imported, so a run can resume.
/// </summary>
public interface ISearchStrategy
{
    string Name { get; }
    SearchSpace Space { get; }
    Architecture Ask();
    void Tell(Trial trial);
    JsonObject ExportState();
    void ImportState(JsonObject state);
}

/// <summary>A strategy over shared weights also says which path the supernet trains on next, and how many
/// architectures it wants asked, scored on a validation minibatch with the shared weights and told after each
/// supernet epoch (ENAS's controller samples, NAO-WS's pool; none for RSWS).</summary>
public interface IWeightSharingStrategy : ISearchStrategy
{
    Architecture NextTrainingPath();
    int EvaluationsPerEpoch { get; }
}
