namespace Nascent.Experiments.Execution;

/// <summary>How a coordinator runs its trials: how many worker processes it starts on its own machine (0: it
/// evaluates queued trials itself), how the host starts one (the host knows its executable), and an optional pause
/// before each evaluation (a stand-in for work in benchmarks and tests; it changes no result).</summary>
public sealed record SearchExecution
{
    public int Workers { get; init; }

    /// <summary>The process of worker <c>index</c> (0-based) on <c>runDirectory</c>.</summary>
    public Func<string, int, ProcessStartInfo>? StartWorker { get; init; }

    public int DelayMilliseconds { get; init; }
}

/// <summary>The worker processes a coordinator started: closed (the queue marked closed, then each waited for) when
/// the search ends, killed when it fails.</summary>
public sealed class WorkerProcesses : IDisposable
{
    private readonly List<Process> _processes = [];

    private WorkerProcesses() { }

    public static WorkerProcesses Start(SearchExecution execution, string runDirectory)
    {
        var workers = new WorkerProcesses();
        if (execution.Workers == 0) return workers;
        var start = execution.StartWorker ?? throw new InvalidOperationException("Workers need a host that can start them.");
        try
        {
            for (int i = 0; i < execution.Workers; i++)
                workers._processes.Add(Process.Start(start(runDirectory, i))
                    ?? throw new NascentException($"worker {i + 1} of {execution.Workers} could not be started."));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            workers.Dispose();
            throw new NascentException($"worker processes could not be started ({e.Message}).");
        }
        return workers;
    }

    /// <summary>Marks the queue closed and waits for every worker to end (each finishes what it holds first).</summary>
    public void Close(ITrialStore store, TimeSpan wait)
    {
        store.SetMeta(TrialWorker.ClosedKey, "true");
        var clock = Stopwatch.StartNew();
        foreach (var process in _processes)
        {
            var left = wait - clock.Elapsed;
            if (left > TimeSpan.Zero) process.WaitForExit(left);
        }
    }

    /// <summary>Kills the workers still running.</summary>
    public void Dispose()
    {
        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
            catch (InvalidOperationException)
            {
                // never started or already reaped
            }
            process.Dispose();
        }
        _processes.Clear();
    }
}
