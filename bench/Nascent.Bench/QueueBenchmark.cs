using System.Diagnostics;
using System.Globalization;
using System.Text;
using Nascent.Experiments.Execution;
using Nascent.Spaces;
using Nascent.Strategies;

namespace Nascent.Bench;

/// <summary>
/// The trial queue's overhead. (1) Speed-up of a tabular search whose every trial also sleeps a fixed time (the
/// worker's --delay-ms), at 1 to 16 worker processes on this machine against 1 (ideal: N); the span is from the first
/// claim to the last result (the store's timestamps), so process start-up is shown apart. (2) Claims per second of
/// the queue: threads, each with a connection of its own (as many processes would have), claiming and finishing
/// empty trials as fast as they can, on SQLite and, when NASCENT_TEST_PG names a server, on PostgreSQL.
/// </summary>
internal static class QueueBenchmark
{
    private const int SleepMs = 250, Trials = 128, Batch = 32;

    public static string Run()
    {
        var text = new StringBuilder();
        string table = Path.GetFullPath(Path.Combine(BenchmarksDocument.RepositoryRoot(), "..", "shared", "data", "nb201", "nb201_accuracy.csv"));
        if (File.Exists(table)) text.Append(SpeedUp(table));
        else text.Append($"(speed-up skipped: {table} not found)\n");
        text.Append('\n').Append(Claims());
        return text.ToString();
    }

    private static string SpeedUp(string table)
    {
        var text = new StringBuilder($"""
            Sleep evaluator: `nascent search --table nb201_accuracy.csv --strategy rea --queries {Trials} --batch {Batch} --delay-ms {SleepMs} --workers N`
            (synchronous batches; every trial sleeps {SleepMs} ms in its worker). Span: first claim to last result (the
            store's timestamps), so the search's own start-up is left out but workers that start late count; steady: trials
            per second once every worker has made its first claim, against one worker's.

            `--async` rows keep {Batch} trials in flight and tell each result as it arrives (no batch barrier), against the
            synchronous single worker.

            | workers | mode | span (s) | speed-up | efficiency | steady speed-up | wall incl. start-up (s) |
            |---:|---|---:|---:|---:|---:|---:|

            """);
        double? one = null, oneRate = null;
        foreach (var (workers, mode) in new[] { 1, 2, 4, 8, 16 }.Select(w => (w, "sync")).Concat([(8, "async"), (16, "async")]))
        {
            string folder = Path.Combine(Path.GetTempPath(), "nascent-bench-queue-" + Guid.NewGuid().ToString("N")[..8]);
            var clock = Stopwatch.StartNew();
            string[] args = ["search", "--table", table, "--objective", "cifar10_val_acc", "--strategy", "rea", "--queries", Trials.ToString(CultureInfo.InvariantCulture),
                "--batch", Batch.ToString(CultureInfo.InvariantCulture), "--delay-ms", SleepMs.ToString(CultureInfo.InvariantCulture),
                "--workers", workers.ToString(CultureInfo.InvariantCulture), "--seed", "1", "--out", folder, "--quiet", .. mode == "async" ? new[] { "--async" } : []];
            int code = Nascent.Cli.Program.Run(args, TextWriter.Null, Console.Error);
            double wall = clock.Elapsed.TotalSeconds;
            if (code != 0) throw new InvalidOperationException($"nascent {string.Join(' ', args)} ended with {code}");
            var (span, rate) = Span(Path.Combine(folder, TrialStore.FileName));
            Directory.Delete(folder, recursive: true);
            one ??= span;
            oneRate ??= rate;
            double speedUp = one.Value / span;
            text.Append(CultureInfo.InvariantCulture, $"| {workers} | {mode} | {span:F2} | {speedUp:F2} | {speedUp / workers:P0} | {rate / oneRate.Value:F2} | {wall:F1} |\n");
        }
        return text.ToString();
    }

    /// <summary>Seconds from the first claim to the last result, and trials finished per second after every worker's
    /// first claim, by the trials' own timestamps.</summary>
    private static (double Span, double SteadyRate) Span(string db)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT worker, started_at, finished_at FROM trials WHERE status = 'done'";
        var rows = new List<(string Worker, DateTime Start, DateTime End)>();
        using (var reader = cmd.ExecuteReader())
            while (reader.Read())
                rows.Add((reader.GetString(0), DateTime.Parse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                    DateTime.Parse(reader.GetString(2), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)));
        var first = rows.Min(r => r.Start);
        var last = rows.Max(r => r.End);
        var allUp = rows.GroupBy(r => r.Worker).Max(g => g.Min(r => r.Start));
        int after = rows.Count(r => r.Start >= allUp);
        return ((last - first).TotalSeconds, after / (last - allUp).TotalSeconds);
    }

    private static string Claims()
    {
        var text = new StringBuilder("""
            Claims per second: 4,000 queued trials, each claimed (one transaction) and finished under its lease (another),
            by 16 threads with a connection each.

            | store | workers | claims/s |
            |---|---:|---:|

            """);
        string folder = Path.Combine(Path.GetTempPath(), "nascent-bench-claims-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            string db = Path.Combine(folder, TrialStore.FileName);
            text.Append(CultureInfo.InvariantCulture, $"| SQLite (one file, WAL) | 16 | {ClaimRate(() => new TrialStore(db), 16):F0} |\n");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        if (Environment.GetEnvironmentVariable("NASCENT_TEST_PG") is { Length: > 0 } server)
        {
            string study = $"{server}{(server.Contains('?') ? '&' : '?')}study=bench{Guid.NewGuid().ToString("N")[..8]}";
            try
            {
                text.Append(CultureInfo.InvariantCulture, $"| PostgreSQL 15 (local, Unix socket) | 16 | {ClaimRate(() => new PostgresTrialStore(study), 16):F0} |\n");
            }
            finally
            {
                using var store = new PostgresTrialStore(study);
                store.Drop();
            }
        }
        else text.Append("| PostgreSQL | - | not measured: NASCENT_TEST_PG is not set |\n");
        return text.ToString();
    }

    private static double ClaimRate(Func<ITrialStore> open, int workers, int trials = 4000)
    {
        var space = Nb201Space.Instance;
        var arch = space.Sample(new Core.SeededRandom(1));
        using (var store = open())
            for (int i = 0; i < trials; i++) store.Enqueue(arch, TrialPhase.Trial);
        var stores = Enumerable.Range(0, workers).Select(_ => open()).ToList();
        var clock = Stopwatch.StartNew();
        var threads = stores.Select((store, w) => new Thread(() =>
        {
            while (store.Claim($"w{w}") is { } claim)
                store.Finish(new Trial(claim.Id, arch, TrialStatus.Done, new Evaluation.Metrics(1)) { Phase = claim.Phase }, claim);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        double rate = trials / clock.Elapsed.TotalSeconds;
        stores.ForEach(s => s.Dispose());
        return rate;
    }
}
