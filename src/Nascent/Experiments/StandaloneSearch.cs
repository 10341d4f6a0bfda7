using Nascent.Core;
using Nascent.Evaluation;
using Nascent.Strategies;

namespace Nascent.Experiments;

/// <summary>The plain ask/evaluate/tell loop: each asked architecture is measured by the evaluator (for example
/// trained from scratch, or looked up in a table); the best trial is the result.</summary>
public sealed class StandaloneSearch(TrialRunner runner, TextWriter? progress)
{
    public const string Phase = "trial";

    /// <summary>Runs up to <paramref name="trials"/> trials; <paramref name="stop"/>, when given, ends the run early
    /// once it returns true (a spent simulated time budget).</summary>
    public Trial Run(ISearchStrategy strategy, IEvaluator evaluator, int trials, CancellationToken cancellation = default,
        Func<bool>? stop = null)
    {
        var bar = new ProgressBar(progress, "search", trials, "trial");
        Trial? best = null;
        for (int i = 0; i < trials && !(stop?.Invoke() ?? false); i++)
        {
            var trial = runner.Run(strategy.Ask(), evaluator, Phase, strategy, cancellation);
            if (trial.Status == TrialStatus.Done && (best is null || trial.Objective > best.Objective)) best = trial;
            bar.SetStatus(best is null ? "no success yet" : $"best {best.Objective:F2}%");
            bar.Advance();
        }
        return best ?? throw new NascentException("Every candidate failed; nothing to return (see failure reasons in trials.db).");
    }
}
