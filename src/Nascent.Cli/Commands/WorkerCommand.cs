using System.Diagnostics;
using Nascent.Experiments.Execution;
using Nascent.Experiments.Search;
using TorchSharp;

namespace Nascent.Cli;

/// <summary>`nascent worker --run RUN_DIR`: claims and evaluates the queued trials of a one-at-a-time search; the
/// search (`--workers N`) starts its own, and more can be started by hand. The worker process's command line is
/// built here too (<see cref="StartInfo"/>), from the path of this very program.</summary>
internal static class WorkerCommand
{
    public const string Summary = "evaluate the queued trials of a running search (nascent search --workers N starts these itself)";

    private sealed record WorkerSettings
    {
        [Setting("the run directory of a one-at-a-time search (its trials.db is the queue)")]
        public string? Run { get; init; }
        [Setting("a PostgreSQL study instead: postgresql://USER@HOST:PORT/DB?study=NAME (password: PGPASSWORD or a pgpass file)")]
        public string? Store { get; init; }
        [Setting("this worker's name in the store (default: host:pid)")]
        public string? Name { get; init; }
        [Setting("libtorch intra-op threads, fixed before any work (default: libtorch's)", Min = 1)]
        public int? Threads { get; init; }
        [Setting("stop when the process with this id ends (set by nascent search --workers)", Min = 1)]
        public int? Coordinator { get; init; }
        [Setting("pause before each evaluation, in milliseconds: a stand-in for work in benchmarks and tests (changes no result)", Min = 0)]
        public int DelayMs { get; init; }
        [Setting("no progress, only errors")]
        public bool Quiet { get; init; }
    }

    public static NascentCommand Create(CommandContext context)
    {
        var command = new NascentCommand("worker", Summary)
        {
            Details = """
                nascent worker --run RUN_DIR [--threads N] [--name NAME]
                nascent worker --store postgresql://USER@HOST:PORT/DB?study=NAME [--threads N] [--name NAME]

                Claims waiting trials of a one-at-a-time search from the run's store, one at a time, under a lease with a
                heartbeat; evaluates each with the search's own configuration (its table, or its data and training from
                scratch) and records the result under the same lease, so a result is recorded once. A worker whose
                heartbeat goes stale (killed, or stuck) loses its trial: it is marked interrupted and queued again. The
                worker stops when the search has ended and nothing waits.
                """,
        };
        var settings = new SettingOptions<WorkerSettings>(
            ("--run RUN_DIR", nameof(WorkerSettings.Run)),
            ("--store URL", nameof(WorkerSettings.Store)),
            ("--name NAME", nameof(WorkerSettings.Name)),
            ("--threads N", nameof(WorkerSettings.Threads)),
            ("--coordinator PID", nameof(WorkerSettings.Coordinator)),
            ("--delay-ms MS", nameof(WorkerSettings.DelayMs)),
            ("--quiet", nameof(WorkerSettings.Quiet)));
        command.Add(settings);
        command.SetAction(parse =>
        {
            var s = settings.Bind(parse);
            if ((s.Run is null) == (s.Store is null))
                throw new NascentException("nascent worker needs --run RUN_DIR (a search on this machine) or --store URL (a PostgreSQL study), one of them.");
            if (s.Threads is { } n) torch.set_num_threads(n);
            string name = s.Name ?? $"{Environment.MachineName}:{Environment.ProcessId}";
            using ITrialStore store = s.Store is { } address ? new PostgresTrialStore(address) : OpenRun(s.Run!);
            using var progress = context.Progress(s.Quiet);
            int recorded = SearchExperiment.Work(store, name, progress, context.Cancellation, s.DelayMs,
                s.Coordinator is { } pid ? () => IsAlive(pid) : null);
            if (!s.Quiet) context.Output.WriteLine($"worker {name}: {recorded} trial(s) recorded");
            return 0;
        });
        return command;
    }

    private static TrialStore OpenRun(string run)
    {
        string path = Path.Combine(run, TrialStore.FileName);
        if (!File.Exists(path)) throw new NascentException($"{Path.GetFullPath(run)} holds no {TrialStore.FileName}: start the search first.");
        return new TrialStore(path);
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The command line of worker <paramref name="index"/> of <paramref name="count"/> on
    /// <paramref name="runDirectory"/> (or the PostgreSQL study <paramref name="store"/>): this program again (its apphost, or dotnet with its assembly), the machine's
    /// cores split between the workers (libtorch threads = cores / count, at least 1).</summary>
    public static ProcessStartInfo StartInfo(string runDirectory, string? store, int index, int count, int delayMilliseconds)
    {
        string assembly = typeof(WorkerCommand).Assembly.Location;
        string? host = Environment.ProcessPath;
        bool apphost = host is not null && Path.GetFileNameWithoutExtension(host) is "Nascent.Cli" or "nascent";
        var info = new ProcessStartInfo(apphost ? host! : DotnetHost()) { UseShellExecute = false };
        if (!apphost) info.ArgumentList.Add(assembly);
        int threads = Math.Max(1, Environment.ProcessorCount / count);
        foreach (var arg in new[]
                 {
                     "worker", store is null ? "--run" : "--store", store ?? runDirectory, "--name", $"worker-{index + 1}", "--threads", threads.ToString(CultureInfo.InvariantCulture),
                     "--coordinator", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                     "--delay-ms", delayMilliseconds.ToString(CultureInfo.InvariantCulture), "--quiet",
                 })
            info.ArgumentList.Add(arg);
        info.Environment["OMP_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
        return info;
    }

    /// <summary>The dotnet host running this program (a test host or `dotnet Nascent.Cli.dll`).</summary>
    private static string DotnetHost()
    {
        string? path = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (path is not null && File.Exists(path)) return path;
        string? process = Environment.ProcessPath;
        return process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet" ? process : "dotnet";
    }
}
