using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Nascent.Cli;

/// <summary>
/// How the CLI shows the library's <see cref="ProgressEvent"/>s on standard error (standard output holds only the
/// results): live Spectre.Console bars on a terminal, a plain line at every tenth of a task when standard error is
/// redirected, JSON lines with --json-progress (docs/RESULTS.md, "Progress"). Reporting is synchronous: an event is
/// shown before <see cref="Report"/> returns, in the order reported. Dispose it when the command ends.
/// </summary>
public abstract class ProgressRenderer : IProgress<ProgressEvent>, IDisposable
{
    /// <summary>The renderer for a command: none with --quiet, JSON lines with --json-progress, live bars when
    /// <paramref name="errors"/> is the process's standard error on a terminal, plain lines otherwise.</summary>
    public static ProgressRenderer? For(bool quiet, bool json, TextWriter errors) =>
        quiet ? null
        : json ? new JsonLines(errors)
        : ReferenceEquals(errors, Console.Error) && !Console.IsErrorRedirected ? new LiveBars(errors)
        : new PlainLines(errors);

    public abstract void Report(ProgressEvent value);

    public virtual void Dispose() => GC.SuppressFinalize(this);

    /// <summary>A task's state as a line: <c>search [######------------------] 40/150 210.3 trial/s ETA 0s  best 91.61%</c>.</summary>
    public static string Line(TaskProgress p)
    {
        const int width = 24;
        int filled = (int)(width * p.Done / Math.Max(1, p.Total));
        string bar = new string('#', filled) + new string('-', width - filled);
        string status = p.Status.Length > 0 ? "  " + p.Status : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{p.Task} [{bar}] {p.Done}/{p.Total} {p.Rate:F1} {p.Unit}/s ETA {Duration(p.EtaSeconds)}{status}");
    }

    /// <summary>Seconds as <c>42s</c>, <c>3m07s</c> or <c>2h05m</c>.</summary>
    public static string Duration(double seconds)
    {
        var t = TimeSpan.FromSeconds(double.IsFinite(seconds) ? Math.Max(0, seconds) : 0);
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m"
            : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:D2}s" : $"{t.Seconds}s";
    }

    /// <summary>Logs and CI: a line at every tenth of a task (and at its end); messages as they are.</summary>
    public sealed class PlainLines(TextWriter errors) : ProgressRenderer
    {
        private readonly Dictionary<string, long> _lastTenth = [];

        public override void Report(ProgressEvent value)
        {
            lock (_lastTenth)
            {
                switch (value)
                {
                    case TaskProgress p:
                        long tenth = 10 * p.Done / Math.Max(1, p.Total);
                        if (_lastTenth.TryGetValue(p.Task, out long last) && last == tenth) return;
                        _lastTenth[p.Task] = tenth;
                        errors.WriteLine(Line(p));
                        break;
                    case TaskEnded e:
                        _lastTenth.Remove(e.Task);
                        break;
                    case ProgressMessage m:
                        errors.WriteLine(m.Text);
                        break;
                }
            }
        }
    }

    /// <summary>--json-progress: one object per line, flushed as written; only the documented events
    /// (<c>progress</c> and <c>message</c>) and fields.</summary>
    public sealed class JsonLines(TextWriter errors) : ProgressRenderer
    {
        private static readonly JsonSerializerOptions Compact = new()
        {
            WriteIndented = false,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        public override void Report(ProgressEvent value)
        {
            switch (value)
            {
                case TaskProgress p:
                    Emit("progress", new JsonObject
                    {
                        ["task"] = p.Task, ["done"] = p.Done, ["total"] = p.Total, ["unit"] = p.Unit,
                        ["rate"] = Math.Round(p.Rate, 3), ["eta_seconds"] = Math.Round(p.EtaSeconds, 1), ["status"] = p.Status,
                        ["best"] = p.Best is { } best && double.IsFinite(best) ? best : null,
                    });
                    break;
                case ProgressMessage m:
                    foreach (string line in m.Text.Split('\n'))
                        if (line.Trim() is { Length: > 0 } text) Emit("message", new JsonObject { ["text"] = text });
                    break;
            }
        }

        private void Emit(string kind, JsonObject fields)
        {
            var line = new JsonObject { ["event"] = kind, ["time"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture) };
            foreach (var (key, node) in fields) line[key] = node?.DeepClone();
            lock (errors)
            {
                errors.WriteLine(line.ToJsonString(Compact));
                errors.Flush();
            }
        }
    }

    /// <summary>
    /// A terminal: a live Spectre.Console bar per task (description, bar, done/total, rate, ETA, status), messages
    /// printed above it. Spectre's live display runs its action on the thread that starts it, so it runs on a thread
    /// of its own, fed by <see cref="Report"/>, which waits until each event is shown; a task's display ends (its
    /// last state left on screen) when the task ends or another task's progress arrives. Should that thread fail,
    /// the rest of the run's progress is plain lines.
    /// </summary>
    public sealed class LiveBars : ProgressRenderer
    {
        private readonly IAnsiConsole _console;
        private readonly TextWriter _errors;
        private readonly BlockingCollection<ProgressEvent> _queue = new();
        private readonly SemaphoreSlim _shown = new(0);
        private readonly Thread _thread;
        private volatile PlainLines? _fallback;

        /// <param name="console">Where to draw; by default a Spectre console on <paramref name="errors"/> (never on
        /// standard output, which holds the results).</param>
        public LiveBars(TextWriter errors, IAnsiConsole? console = null)
        {
            _errors = errors;
            _console = console ?? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(errors) });
            _thread = new Thread(Run) { IsBackground = true, Name = "nascent progress" };
            _thread.Start();
        }

        /// <summary>Why the live display stopped drawing, if it did (the rest was plain lines).</summary>
        public Exception? Failure { get; private set; }

        public override void Report(ProgressEvent value)
        {
            if (value is not (TaskProgress or TaskEnded or ProgressMessage)) return;
            lock (_queue)
            {
                if (_fallback is { } plain) { plain.Report(value); return; }
                if (_queue.IsAddingCompleted) return;
                _queue.Add(value);
                while (!_shown.Wait(200))
                    if (!_thread.IsAlive) { (_fallback ??= new PlainLines(_errors)).Report(value); return; }
            }
        }

        public override void Dispose()
        {
            lock (_queue) _queue.CompleteAdding();
            _thread.Join(TimeSpan.FromSeconds(10));
            base.Dispose();
        }

        private ProgressEvent? Take() => _queue.TryTake(out var value, Timeout.Infinite) ? value : null;

        private void Shown() => _shown.Release();

        private void Run()
        {
            try
            {
                ProgressEvent? next = Take();
                while (next is not null)
                {
                    switch (next)
                    {
                        case TaskProgress p:
                            next = Display(p) ?? Take();
                            continue;
                        case ProgressMessage m:
                            _console.WriteLine(m.Text);
                            break;
                    }
                    Shown();
                    next = Take();
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Failure = e;
                _fallback = new PlainLines(_errors);
            }
        }

        /// <summary>Shows one task until it ends; returns the event that ended the display when it belongs to
        /// what follows (another task's progress), not yet marked shown.</summary>
        private ProgressEvent? Display(TaskProgress first)
        {
            ProgressEvent? next = null;
            bool ended = false;
            var progress = new Progress(_console)
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 30 },
                    new TextColumn(Counts), new TextColumn(p => $"{p.Rate:F1} {p.Unit}/s"),
                    new TextColumn(p => "ETA " + Duration(p.EtaSeconds)), new TextColumn(p => p.Status));
            progress.Start(context =>
            {
                var task = context.AddTask(Markup.Escape(first.Task), autoStart: true, maxValue: first.Total);
                Update(task, first);
                Shown();
                while (Take() is { } e)
                {
                    switch (e)
                    {
                        case TaskProgress p when p.Task == first.Task && p.Total == first.Total && p.Done >= ((TaskProgress)task.Tag!).Done:
                            Update(task, p);
                            break;
                        case TaskEnded end when end.Task == first.Task:
                            task.StopTask();
                            context.Refresh();
                            ended = true;
                            return;
                        case ProgressMessage m:
                            _console.WriteLine(m.Text);
                            break;
                        case TaskEnded:
                            break;
                        default:
                            next = e;
                            context.Refresh();
                            return;
                    }
                    Shown();
                }
            });
            if (ended) Shown();
            return next;
        }

        private static void Update(ProgressTask task, TaskProgress p)
        {
            task.Tag = p;
            task.Value = p.Done;
        }

        private static string Counts(TaskProgress p) => $"{p.Done}/{p.Total}";

        /// <summary>A column of plain text from the task's latest event.</summary>
        private sealed class TextColumn(Func<TaskProgress, string> text) : ProgressColumn
        {
            public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
                task.Tag is TaskProgress p ? new Text(text(p)) : Text.Empty;
        }
    }
}
