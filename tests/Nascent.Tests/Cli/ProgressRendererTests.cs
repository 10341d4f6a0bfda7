using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Nascent.Cli;
using Nascent.Core;
using Spectre.Console;

namespace Nascent.Tests.Cli;

public sealed class ProgressRendererTests
{
    private static readonly string[] ProgressFields = ["event", "time", "task", "done", "total", "unit", "rate", "eta_seconds", "status", "best"];

    /// <summary>A task as the library runs one: a status and an advance per unit of work.</summary>
    private static void RunTask(IProgress<ProgressEvent> progress, string task, int total, string unit, double? best = null)
    {
        var reporter = new ProgressReporter(progress, task, total, unit);
        for (int i = 0; i < total; i++)
        {
            reporter.SetStatus(best is null ? $"loss {i:F1}" : $"best {best:F2}%", best);
            reporter.Advance();
        }
    }

    [Fact]
    public void The_factory_picks_none_json_or_plain_lines_off_a_terminal()
    {
        var errors = new StringWriter();
        Assert.Null(ProgressRenderer.For(quiet: true, json: false, errors));
        using (var json = ProgressRenderer.For(quiet: false, json: true, errors)) Assert.IsType<ProgressRenderer.JsonLines>(json);
        using (var plain = ProgressRenderer.For(quiet: false, json: false, errors)) Assert.IsType<ProgressRenderer.PlainLines>(plain);
        Assert.Equal("", errors.ToString());
    }

    [Fact]
    public void Json_lines_parse_and_hold_the_documented_fields_only()
    {
        var errors = new StringWriter();
        using (var renderer = ProgressRenderer.For(quiet: false, json: true, errors)!)
        {
            renderer.Message("resuming RUN_DIR: 57 finished trial(s)");
            renderer.Report(new PhaseStarted("search"));
            renderer.Report(new TrialStarted(1, "trial", "|none~0|"));
            renderer.Report(new TrialFinished(1, "trial", "|none~0|", "done", 12.5, 0.1));
            renderer.Report(new CheckpointWritten(7, "/tmp/run/checkpoint"));
            RunTask(renderer, "search", 250, "trial", best: 91.25);
            renderer.Message("two\nlines\n");
        }

        var lines = errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.All(lines, l => Assert.True(DateTime.TryParse((string)l["time"]!, out _)));
        Assert.Equal(["message", "progress"], lines.Select(l => (string)l["event"]!).Distinct().Order());
        var messages = lines.Where(l => (string)l["event"]! == "message").ToList();
        Assert.Equal(["resuming RUN_DIR: 57 finished trial(s)", "two", "lines"], messages.Select(m => (string)m["text"]!));
        Assert.All(messages, m => Assert.Equal(["event", "time", "text"], m.Select(p => p.Key)));

        var progress = lines.Where(l => (string)l["event"]! == "progress").ToList();
        Assert.All(progress, p => Assert.Equal(ProgressFields, p.Select(f => f.Key)));
        Assert.InRange(progress.Count, 95, 101);
        Assert.All(progress, p => Assert.Equal(("search", 250L, "trial", 91.25), ((string)p["task"]!, (long)p["total"]!, (string)p["unit"]!, (double)p["best"]!)));
        Assert.All(progress, p => Assert.True((double)p["rate"]! >= 0 && (double)p["eta_seconds"]! >= 0));
        var done = progress.Select(p => (long)p["done"]!).ToList();
        Assert.Equal(done.Order(), done);
        Assert.Equal(250, done[^1]);
        Assert.Equal("best 91.25%", (string)progress[^1]["status"]!);
    }

    [Fact]
    public void Json_best_is_null_where_a_task_has_none()
    {
        var errors = new StringWriter();
        using (var renderer = ProgressRenderer.For(quiet: false, json: true, errors)!) RunTask(renderer, "supernet 1/2", 3, "step");
        var last = JsonNode.Parse(errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1])!.AsObject();
        Assert.True(last.ContainsKey("best"));
        Assert.Null(last["best"]);
    }

    [Fact]
    public void Plain_lines_come_at_every_tenth_of_each_task_and_messages_as_they_are()
    {
        var errors = new StringWriter();
        using (var renderer = ProgressRenderer.For(quiet: false, json: false, errors)!)
        {
            RunTask(renderer, "supernet 1/2", 1000, "step");
            renderer.Message("instanas: epoch 1/2: reward 0.50");
            renderer.Report(new TrialFinished(3, "rank", "|none~0|", "done", 10, 0.1)); // not shown
            RunTask(renderer, "supernet 1/2", 500, "step"); // the same name again: a task of its own
            RunTask(renderer, "rank", 7, "arch", best: 55.5);
        }

        var lines = errors.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        var line = new Regex(@"^(supernet 1/2|rank) \[[#-]{24}\] \d+/\d+ \d+\.\d (step|arch)/s ETA \d+(s|m\d\ds|h\d\dm)(  .+)?$");
        Assert.All(lines.Where(l => !l.StartsWith("instanas")), l => Assert.Matches(line, l));
        int first = Array.IndexOf(lines, "instanas: epoch 1/2: reward 0.50");
        Assert.InRange(first, 10, 11); // 0/10 .. 10/10 tenths
        Assert.InRange(lines.Skip(first + 1).Count(l => l.StartsWith("supernet")), 10, 11);
        Assert.InRange(lines.Count(l => l.StartsWith("rank")), 7, 8);
        Assert.StartsWith("supernet 1/2 [########################] 1000/1000 ", lines[first - 1]);
        Assert.EndsWith("  best 55.50%", lines[^1]);
        Assert.Contains("7/7", lines[^1]);
    }

    [Fact]
    public void Live_bars_draw_each_task_and_the_messages_between_and_stop_when_disposed()
    {
        var errors = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(errors),
            Ansi = AnsiSupport.Yes,
            Interactive = InteractionSupport.Yes,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        var renderer = new ProgressRenderer.LiveBars(errors, console);
        var run = Task.Run(() =>
        {
            renderer.Message("loading data");
            RunTask(renderer, "supernet 1/2", 200, "step");
            var rank = new ProgressReporter(renderer, "rank", 10, "arch");
            rank.Advance(3);
            renderer.Message("a line while a bar is live");
            rank.SetStatus("best 42.00%", 42);
            rank.Advance(2);
            rank.End(); // stopped early
            var final = new ProgressReporter(renderer, "final", 4, "arch");
            final.Advance(1); // left live: the renderer's disposal ends it
            renderer.Dispose();
        });
        Assert.True(run.Wait(TimeSpan.FromSeconds(60)), "the live renderer did not finish");
        run.GetAwaiter().GetResult();
        Assert.Null(renderer.Failure);

        string text = errors.ToString();
        Assert.Contains("\u001b[", text); // drawn live, with cursor movements
        foreach (string expected in new[] { "loading data", "supernet 1/2", "200/200", "step/s", "ETA", "a line while a bar is live", "rank", "5/10", "best 42.00%", "final", "1/4" })
            Assert.Contains(expected, text);
        Assert.True(text.IndexOf("loading data", StringComparison.Ordinal) < text.IndexOf("200/200", StringComparison.Ordinal));
        renderer.Report(new ProgressMessage("after disposal")); // ignored, no hang
        Assert.DoesNotContain("after disposal", errors.ToString());
    }
}
