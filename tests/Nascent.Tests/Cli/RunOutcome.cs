using System.Text.Json.Nodes;
using Nascent.Experiments.Execution;
using Nascent.Spaces;
using Nascent.Strategies;

namespace Nascent.Tests.Cli;

/// <summary>What two runs of one search must share: their finished trials and result.json.</summary>
public static class RunOutcome
{
    /// <summary>The run's finished trials in order, as comparable values (ids may differ: interrupted rows stay).</summary>
    public static List<(TrialPhase Phase, string Arch, TrialStatus Status, double? Accuracy, double? Test, string Extra)> FinishedTrials(string folder)
    {
        using var store = new TrialStore(Path.Combine(folder, TrialStore.FileName));
        return store.Load(Nb201Space.Instance)
            .Where(t => t.Status is TrialStatus.Done or TrialStatus.Failed)
            .Select(t => (t.Phase, t.Architecture.ToString(), t.Status, t.Metrics?.Accuracy, t.Metrics?.TestAccuracy,
                string.Join(",", t.Metrics?.Extra.Select(e => $"{e.Key}={e.Value:R}") ?? [])))
            .ToList();
    }

    /// <summary>result.json without what differs between any two runs (wall time, folder).</summary>
    public static string Result(string folder)
    {
        var result = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "result.json")))!.AsObject();
        result.Remove("wall_seconds");
        result.Remove("run_directory");
        return result.ToJsonString();
    }
}
