using System.Diagnostics;
using Nascent.Evaluation;
using Nascent.Spaces;
using Nascent.Strategies;
using Nascent.Training;

namespace Nascent.Experiments;

/// <summary>Runs one trial: written to the store before and after, a divergence recorded as a failed trial with its
/// reason, and the result told to the strategy (when there is one) either way.</summary>
public sealed class TrialRunner(TrialStore store)
{
    public List<Trial> Trials { get; } = [];

    public Trial Run(Architecture architecture, IEvaluator evaluator, string phase, ISearchStrategy? tellTo,
        CancellationToken cancellation = default)
    {
        int id = store.Begin(architecture, phase);
        var clock = Stopwatch.StartNew();
        Trial trial;
        try
        {
            var metrics = evaluator.Evaluate(architecture, cancellation);
            trial = double.IsFinite(metrics.Accuracy)
                ? new Trial(id, architecture, TrialStatus.Done, metrics, Seconds: clock.Elapsed.TotalSeconds)
                : new Trial(id, architecture, TrialStatus.Failed, null, "accuracy is not a number", clock.Elapsed.TotalSeconds);
        }
        catch (TrainingDivergedException e)
        {
            trial = new Trial(id, architecture, TrialStatus.Failed, null, e.Message, clock.Elapsed.TotalSeconds);
        }
        trial = trial with { Phase = phase };
        store.Finish(trial);
        Trials.Add(trial);
        tellTo?.Tell(trial);
        return trial;
    }
}
