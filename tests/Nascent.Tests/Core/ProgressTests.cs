using Nascent.Core;
using Nascent.Experiments;
using Nascent.Experiments.Search;
using Nascent.Tests.Data;
using Nascent.Tests.Tabular;

namespace Nascent.Tests.Core;

public sealed class ProgressTests(SyntheticTable table) : IClassFixture<SyntheticTable>, IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_task_reports_about_a_hundred_rising_events_ending_at_its_total()
    {
        var progress = new RecordingProgress();
        var reporter = new ProgressReporter(progress, "train", 1000, "step");
        for (int i = 0; i < 1000; i++)
        {
            reporter.SetStatus($"loss {1.0 / (i + 1):F3}");
            reporter.Advance();
        }
        reporter.Advance(); // past the total: counted as nothing, reported as nothing

        var events = progress.OfType<TaskProgress>();
        Assert.InRange(events.Count, 95, 101);
        Assert.All(events, e => Assert.Equal(("train", 1000L, "step"), (e.Task, e.Total, e.Unit)));
        Assert.Equal(events.Select(e => e.Done).Order(), events.Select(e => e.Done));
        Assert.Equal(events.Count, events.Select(e => e.Done).Distinct().Count());
        Assert.All(events, e => Assert.True(e.Rate >= 0 && e.EtaSeconds >= 0 && double.IsFinite(e.Rate) && double.IsFinite(e.EtaSeconds)));
        Assert.Equal(1000, events[^1].Done);
        Assert.Equal(0, events[^1].EtaSeconds);
        Assert.Equal("loss 0.001", events[^1].Status);
        Assert.Null(events[^1].Best);
        Assert.Equal(new TaskEnded("train", 1000, 1000), progress.Events[^1]);
        Assert.Single(progress.OfType<TaskEnded>());
        Assert.Equal(1000, reporter.Done);
    }

    [Fact]
    public void Skipped_work_counts_as_done_but_not_in_the_rate()
    {
        var progress = new RecordingProgress();
        var reporter = new ProgressReporter(progress, "search", 1000, "trial");
        reporter.Skip(500);
        Thread.Sleep(100);
        reporter.Advance(10);

        var events = progress.OfType<TaskProgress>();
        Assert.Equal([500L, 510L], events.Select(e => e.Done));
        Assert.Equal(0, events[0].Rate);
        // 10 trials in at least 0.1 s: at most 100 a second (with the 500 skipped ones it would be over 5,000).
        Assert.InRange(events[1].Rate, 1e-6, 100);
        Assert.True(events[1].EtaSeconds > 490 / 100.0);
        reporter.Skip(10_000); // more than is left: done stops at the total
        Assert.Equal(1000, progress.OfType<TaskProgress>()[^1].Done);
        Assert.IsType<TaskEnded>(progress.Events[^1]);
    }

    [Fact]
    public void A_task_ended_early_reports_where_it_stood_once_and_then_nothing()
    {
        var progress = new RecordingProgress();
        var reporter = new ProgressReporter(progress, "search", 150, "trial");
        reporter.SetStatus("best 91.20%", 91.2);
        reporter.Advance(40);
        reporter.End();
        reporter.End();
        reporter.Advance(110);

        Assert.Equal(2, progress.Events.Count);
        var last = Assert.IsType<TaskProgress>(progress.Events[0]);
        Assert.Equal((40L, 150L, "best 91.20%", (double?)91.2), (last.Done, last.Total, last.Status, last.Best));
        Assert.Equal(new TaskEnded("search", 40, 150), progress.Events[1]);
    }

    [Fact]
    public void Without_a_progress_a_task_is_silent_and_counts_still()
    {
        var reporter = new ProgressReporter(null, "rank", 0, "arch"); // an empty task counts as one unit
        reporter.SetStatus("best -inf", double.NegativeInfinity);
        reporter.Advance();
        reporter.End();
        Assert.Equal((1L, 1L), (reporter.Done, reporter.Total));
        ((IProgress<ProgressEvent>?)null).Message("nothing");

        var progress = new RecordingProgress();
        reporter = new ProgressReporter(progress, "rank", 4, "arch");
        reporter.SetStatus("no success yet", double.NegativeInfinity);
        reporter.Advance();
        Assert.Null(progress.OfType<TaskProgress>()[0].Best); // not a finite objective: none
    }

    [Fact]
    public void A_search_through_the_library_reports_its_task_each_trial_and_each_checkpoint()
    {
        var progress = new RecordingProgress();
        var config = new SearchConfig
        {
            Strategy = "rea",
            Table = new TableSettings { Tables = [table.Path], Objective = "score", Report = "test", Queries = 30 },
            CheckpointEvery = 7,
            Seed = 4,
            Out = Path.Combine(_temp.Path, "run"),
        };
        var result = SearchExperiment.Run(config, progress);

        var events = progress.Events;
        Assert.Equal(new PhaseStarted("search"), events.OfType<PhaseStarted>().Single());
        var tasks = events.OfType<TaskProgress>().ToList();
        Assert.All(tasks, t => Assert.Equal(("search", 30L, "trial"), (t.Task, t.Total, t.Unit)));
        Assert.Equal(30, tasks[^1].Done);
        Assert.Equal(new TaskEnded("search", 30, 30), events[^1]);

        var started = events.OfType<TrialStarted>().ToList();
        var finished = events.OfType<TrialFinished>().ToList();
        Assert.Equal(30, started.Count);
        Assert.Equal(started.Select(s => (s.Id, s.Phase, s.Arch)), finished.Select(f => (f.Id, f.Phase, f.Arch)));
        Assert.Equal(30, started.Select(s => s.Id).Distinct().Count());
        Assert.All(finished, f => Assert.Equal(("trial", "done"), (f.Phase, f.Status)));
        Assert.All(finished, f => Assert.NotNull(f.Objective));
        // Each trial finishes before the next one starts, and before the bar counts it.
        for (int i = 0; i < started.Count; i++)
        {
            int start = IndexOf(events, started[i]), end = IndexOf(events, finished[i]);
            Assert.True(start < end);
            if (i + 1 < started.Count) Assert.True(end < IndexOf(events, started[i + 1]));
        }
        Assert.Equal(finished.Max(f => f.Objective), tasks[^1].Best);
        Assert.Equal(result.Best.ValAcc, tasks[^1].Best);

        var checkpoints = events.OfType<CheckpointWritten>().ToList();
        Assert.Equal([7, 14, 21, 28], checkpoints.Select(c => c.Trials));
        Assert.All(checkpoints, c => Assert.True(Directory.Exists(c.Path)));
        // A checkpoint follows the trial that completes its count.
        Assert.True(IndexOf(events, finished[6]) < IndexOf(events, checkpoints[0]));
        Assert.True(IndexOf(events, checkpoints[0]) < IndexOf(events, started[7]));
    }

    [Fact]
    public void A_resumed_search_reports_its_message_and_counts_the_earlier_trials_as_skipped()
    {
        var config = new SearchConfig
        {
            Strategy = "rs",
            Table = new TableSettings { Tables = [table.Path], Objective = "score", Report = "test", Queries = 20 },
            CheckpointEvery = 5,
            Seed = 2,
            Out = Path.Combine(_temp.Path, "resumed"),
        };
        SearchExperiment.Run(config);
        var progress = new RecordingProgress();
        SearchExperiment.Run(config, progress, resume: true);

        Assert.StartsWith("resuming ", Assert.Single(progress.OfType<ProgressMessage>()).Text);
        Assert.Empty(progress.OfType<TrialStarted>()); // every trial read back, none measured
        var tasks = progress.OfType<TaskProgress>();
        Assert.Equal(20, tasks[^1].Done);
        Assert.All(tasks, t => Assert.Equal(0, t.Rate));
    }

    private static int IndexOf(IReadOnlyList<ProgressEvent> events, ProgressEvent e)
    {
        for (int i = 0; i < events.Count; i++)
            if (ReferenceEquals(events[i], e)) return i;
        return -1;
    }
}
