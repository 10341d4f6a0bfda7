using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Nascent.Core;

/// <summary>
/// A progress bar with rate and ETA on a text writer (the console's error stream by default, so results on
/// standard output stay clean). On a terminal it redraws one line; otherwise (logs, CI) it prints a line at every
/// tenth of the work; on a <see cref="JsonProgress"/> it writes an object at every hundredth. Silent when the
/// writer is null.
/// </summary>
public sealed class ProgressBar
{
    private readonly TextWriter? _writer;
    private readonly string _label;
    private readonly long _total;
    private readonly string _unit;
    private readonly bool _interactive;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _done;
    private long _skipped;
    private int _lastMark = -1;
    private long _lastDrawTicks;
    private string _status = "";
    private double? _best;

    public ProgressBar(TextWriter? writer, string label, long total, string unit)
    {
        _writer = writer;
        _label = label;
        _total = Math.Max(1, total);
        _unit = unit;
        _interactive = writer is not null && ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected;
    }

    /// <summary>A short status shown after the bar (e.g. the current loss or best accuracy), and the best objective
    /// so far when there is one (a field of its own in JSON progress).</summary>
    public void SetStatus(string status, double? best = null)
    {
        _status = status;
        _best = best;
    }

    /// <summary>Counts work done before this process started (a resumed run's trials): shown as done, left out
    /// of the rate.</summary>
    public void Skip(long amount)
    {
        _skipped += Math.Min(amount, _total - _done);
        Advance(amount);
    }

    public void Advance(long amount = 1)
    {
        _done = Math.Min(_total, _done + amount);
        if (_writer is null) return;
        if (_writer is JsonProgress json)
        {
            int hundredth = (int)(100 * _done / _total);
            if (hundredth == _lastMark) return;
            _lastMark = hundredth;
            var (rate, eta) = RateAndEta();
            json.Emit("progress", new JsonObject
            {
                ["task"] = _label, ["done"] = _done, ["total"] = _total, ["unit"] = _unit,
                ["rate"] = Math.Round(rate, 3), ["eta_seconds"] = Math.Round(eta, 1), ["status"] = _status, ["best"] = _best is { } best && double.IsFinite(best) ? best : null,
            });
        }
        else if (_interactive)
        {
            long now = _clock.ElapsedTicks;
            if (_done < _total && now - _lastDrawTicks < Stopwatch.Frequency / 10) return;
            _lastDrawTicks = now;
            _writer.Write("\r" + Line() + "   ");
            if (_done == _total) _writer.WriteLine();
        }
        else
        {
            int tenth = (int)(10 * _done / _total);
            if (tenth == _lastMark) return;
            _lastMark = tenth;
            _writer.WriteLine(Line());
        }
    }

    private (double Rate, double EtaSeconds) RateAndEta()
    {
        double rate = (_done - _skipped) / Math.Max(1e-9, _clock.Elapsed.TotalSeconds);
        return (rate, rate > 0 && _done < _total ? (_total - _done) / rate : 0);
    }

    private string Line()
    {
        var (rate, etaSeconds) = RateAndEta();
        const int width = 24;
        int filled = (int)(width * _done / _total);
        string bar = new string('#', filled) + new string('-', width - filled);
        string eta = Format(TimeSpan.FromSeconds(etaSeconds));
        string status = _status.Length > 0 ? "  " + _status : "";
        return $"{_label} [{bar}] {_done}/{_total} {rate:F1} {_unit}/s ETA {eta}{status}";
    }

    private static string Format(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m"
        : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:D2}s" : $"{t.Seconds}s";
}
