namespace Nascent.Core;

/// <summary>
/// One task's progress (a stage of a run: <c>search</c>, <c>supernet 1/2</c>, <c>rank</c>, ...): counts the work
/// done, computes the rate and the time left, and reports a <see cref="TaskProgress"/> whenever another hundredth
/// of the total is done (so about a hundred per task, the last one at the total), then a <see cref="TaskEnded"/>.
/// Silent when the progress is null.
/// </summary>
public sealed class ProgressReporter
{
    private readonly IProgress<ProgressEvent>? _progress;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _done;
    private long _skipped;
    private long _lastHundredth = -1;
    private bool _ended;
    private string _status = "";
    private double? _best;

    public ProgressReporter(IProgress<ProgressEvent>? progress, string task, long total, string unit)
    {
        _progress = progress;
        Task = task;
        Total = Math.Max(1, total);
        Unit = unit;
    }

    public string Task { get; }
    public long Total { get; }
    public string Unit { get; }
    public long Done => _done;

    /// <summary>A short status (e.g. the current loss or best accuracy), and the best objective so far when there
    /// is one; reported with the next advance.</summary>
    public void SetStatus(string status, double? best = null)
    {
        _status = status;
        _best = best;
    }

    /// <summary>Counts work done before this process started (a resumed run's trials): reported as done, left out
    /// of the rate.</summary>
    public void Skip(long amount)
    {
        _skipped += Math.Max(0, Math.Min(amount, Total - _done));
        Advance(amount);
    }

    public void Advance(long amount = 1)
    {
        _done = Math.Min(Total, _done + amount);
        if (_progress is null || _ended) return;
        long hundredth = 100 * _done / Total;
        if (hundredth == _lastHundredth) return;
        _lastHundredth = hundredth;
        double rate = (_done - _skipped) / Math.Max(1e-9, _clock.Elapsed.TotalSeconds);
        double eta = rate > 0 && _done < Total ? (Total - _done) / rate : 0;
        _progress.Report(new TaskProgress(Task, _done, Total, Unit, rate, eta, _status,
            _best is { } best && double.IsFinite(best) ? best : null));
        if (_done == Total) End();
    }

    /// <summary>Ends the task where it stands (a loop that stopped before its total); once, and by itself at the
    /// total.</summary>
    public void End()
    {
        if (_ended) return;
        _ended = true;
        _progress?.Report(new TaskEnded(Task, _done, Total));
    }
}
