using System.Data.Common;
using System.Text.Json;

namespace Nascent.Experiments.Execution;

/// <summary>
/// The trial store's SQL, shared by SQLite (<see cref="TrialStore"/>) and PostgreSQL (<see cref="PostgresTrialStore"/>):
/// plain statements both run (no rowid, DOUBLE PRECISION for numbers, ids given here rather than by the database),
/// with three differences left to the dialect: the database's clock (<see cref="NowSql"/>), the row lock a claim
/// takes (<see cref="ClaimLockSql"/>: PostgreSQL's FOR UPDATE SKIP LOCKED; SQLite's transactions are immediate, one
/// writer at a time), and what serialises the writers that give ids (<see cref="LockIds"/>). The queue follows
/// Optuna's RDB storage (optuna/storages/_rdb/storage.py: record_heartbeat and _get_stale_trial_ids, the heartbeat
/// from the database's now(); optuna/storages/_heartbeat.py: fail_stale_trials, a stale trial changed only if it is
/// still running, then RetryFailedTrialCallback's copy up to max_retry), with a lease token added so that only the
/// claim that holds a trial can finish it. Every call is one transaction, under one lock per store object (a
/// worker's heartbeat comes from another thread).
/// </summary>
public abstract class SqlTrialStore : ITrialStore
{
    /// <summary>The trials table of format version 3: waiting trials and the queue's columns (retry_of, worker,
    /// lease, heartbeat in seconds since 1970 by the database's clock).</summary>
    protected const string TrialsTable = """
        CREATE TABLE trials (
            id INTEGER PRIMARY KEY,
            phase TEXT NOT NULL,
            arch TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('waiting', 'running', 'done', 'failed', 'interrupted')),
            accuracy DOUBLE PRECISION, loss DOUBLE PRECISION, params BIGINT, test_accuracy DOUBLE PRECISION,
            latency_ms DOUBLE PRECISION, flops DOUBLE PRECISION, extra TEXT, failure_reason TEXT,
            started_at TEXT, finished_at TEXT, seconds DOUBLE PRECISION,
            retry_of INTEGER, worker TEXT, lease TEXT, heartbeat DOUBLE PRECISION);
        CREATE INDEX trials_queue ON trials (status, id);
        """;

    protected const string MetaTable = "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);";

    public const string Format = "nascent-trials";
    public const int FormatVersion = 3;

    private const string InterruptedReason = "interrupted: the run stopped while it ran; run again on resume";
    private const string Columns = "id, phase, arch, status, accuracy, loss, params, test_accuracy, latency_ms, flops, extra, failure_reason, seconds, retry_of";

    private readonly Lock _gate = new();

    public abstract string Location { get; }

    protected abstract DbConnection Connection { get; }

    /// <summary>The database's clock, in seconds since 1970 (an SQL expression).</summary>
    protected abstract string NowSql { get; }

    /// <summary>What follows a claim's SELECT to lock the row it picks ("" where the transaction already does).</summary>
    protected abstract string ClaimLockSql { get; }

    /// <summary>Serialises the transactions that give ids (the coordinator's, and reapers' retries).</summary>
    protected virtual void LockIds(DbTransaction tx) { }

    /// <summary>Translates a fault of the database into one line (and, for a server, reconnects and retries).</summary>
    protected abstract T Run<T>(Func<T> action);

    public abstract void Dispose();

    public int Begin(Architecture architecture, TrialPhase phase) => Write(tx => Insert(tx, architecture.ToString(), phase, "running", null));

    public int Enqueue(Architecture architecture, TrialPhase phase) => Enqueue([architecture], phase)[0];

    public IReadOnlyList<int> Enqueue(IReadOnlyList<Architecture> architectures, TrialPhase phase) =>
        Write(tx => architectures.Select(a => Insert(tx, a.ToString(), phase, "waiting", null)).ToList());

    private int Insert(DbTransaction tx, string arch, TrialPhase phase, string status, int? retryOf)
    {
        LockIds(tx);
        int id = Convert.ToInt32(Scalar(tx, "SELECT COALESCE(MAX(id), 0) + 1 FROM trials"), CultureInfo.InvariantCulture);
        Execute(tx, "INSERT INTO trials (id, phase, arch, status, started_at, retry_of) VALUES (@id, @phase, @arch, @status, @at, @retry)",
            ("id", id), ("phase", PhaseName(phase)), ("arch", arch), ("status", status),
            ("at", status == "running" ? Now() : null), ("retry", retryOf));
        return id;
    }

    public void Finish(Trial trial)
    {
        CheckFinished(trial);
        Write(tx => Record(tx, trial, null) ? 0 : throw new InvalidOperationException($"Trial {trial.Id} is not running in {Location}."));
    }

    public bool Finish(Trial trial, ClaimedTrial claim)
    {
        CheckFinished(trial);
        return Write(tx => Record(tx, trial, claim.Lease));
    }

    private static void CheckFinished(Trial trial)
    {
        if (trial.Status is not (TrialStatus.Done or TrialStatus.Failed))
            throw new ArgumentException($"A trial ends done or failed (got {trial.Status}).", nameof(trial));
    }

    private bool Record(DbTransaction tx, Trial trial, string? lease)
    {
        var m = trial.Metrics;
        return Execute(tx, $"""
            UPDATE trials SET status = @status, accuracy = @acc, loss = @loss, params = @params,
              test_accuracy = @test, latency_ms = @latency, flops = @flops, extra = @extra,
              failure_reason = @reason, finished_at = @at, seconds = @seconds
            WHERE id = @id AND status = 'running' AND {(lease is null ? "lease IS NULL" : "lease = @lease")}
            """,
            ("id", trial.Id), ("status", trial.Status == TrialStatus.Done ? "done" : "failed"),
            ("acc", m?.Accuracy), ("loss", m?.Loss), ("params", m?.Parameters), ("test", m?.TestAccuracy),
            ("latency", m?.LatencyMs), ("flops", m?.Flops),
            ("extra", m is null || m.Extra.Count == 0 ? null : JsonSerializer.Serialize(m.Extra)),
            ("reason", trial.FailureReason), ("at", Now()), ("seconds", trial.Seconds), ("lease", lease)) == 1;
    }

    public int MarkInterrupted() => Write(tx => Execute(tx,
        "UPDATE trials SET status = 'interrupted', failure_reason = @reason WHERE status = 'running' AND lease IS NULL",
        ("reason", InterruptedReason)));

    public ClaimedTrial? Claim(string worker) => !Any("status = 'waiting'") ? null : Write(tx =>
    {
        using var select = Command(tx, $"SELECT id, phase, arch, retry_of FROM trials WHERE status = 'waiting' ORDER BY id LIMIT 1{ClaimLockSql}");
        int id, root;
        string phase, arch;
        using (var reader = select.ExecuteReader())
        {
            if (!reader.Read()) return null;
            id = Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture);
            phase = reader.GetString(1);
            arch = reader.GetString(2);
            root = reader.IsDBNull(3) ? id : Convert.ToInt32(reader.GetValue(3), CultureInfo.InvariantCulture);
        }
        string lease = Guid.NewGuid().ToString("N");
        int claimed = Execute(tx, $"UPDATE trials SET status = 'running', worker = @worker, lease = @lease, heartbeat = {NowSql}, started_at = @at WHERE id = @id AND status = 'waiting'",
            ("worker", worker), ("lease", lease), ("at", Now()), ("id", id));
        return claimed == 1 ? new ClaimedTrial(id, root, arch, ParsePhase(phase), lease, worker) : null;
    });

    public bool Heartbeat(ClaimedTrial claim) => Write(tx => Execute(tx,
        $"UPDATE trials SET heartbeat = {NowSql} WHERE id = @id AND status = 'running' AND lease = @lease",
        ("id", claim.Id), ("lease", claim.Lease)) == 1);

    public int Reap(TimeSpan staleAfter, int maxAttempts)
    {
        string stale = $"status = 'running' AND lease IS NOT NULL AND heartbeat < {NowSql} - @stale";
        var parameter = ("stale", (object?)staleAfter.TotalSeconds);
        return !Any(stale, parameter) ? 0 : Write(tx => Interrupt(tx, stale, parameter, maxAttempts, "its worker stopped sending heartbeats"));
    }

    /// <summary>Whether a trial matches <paramref name="where"/>: a read, so that idle workers polling the queue take
    /// no write lock (SQLite has one writer at a time) when there is nothing to claim or reap.</summary>
    private bool Any(string where, params (string Name, object? Value)[] parameters) => Run(() =>
    {
        lock (_gate) return Scalar(null, $"SELECT 1 FROM trials WHERE {where} LIMIT 1", parameters) is not null;
    });

    public int ReapWorker(string worker, int maxAttempts) => Write(tx => Interrupt(tx,
        "status = 'running' AND worker = @worker", ("worker", worker), maxAttempts, "its worker stopped"));

    private int Interrupt(DbTransaction tx, string where, (string, object?) parameter, int maxAttempts, string why)
    {
        var stale = new List<(int Id, int Root, string Phase, string Arch, string? Worker)>();
        using (var select = Command(tx, $"SELECT id, COALESCE(retry_of, id), phase, arch, worker FROM trials WHERE {where} ORDER BY id", parameter))
        using (var reader = select.ExecuteReader())
            while (reader.Read())
                stale.Add((Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture),
                    reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        foreach (var t in stale)
        {
            int attempts = Convert.ToInt32(Scalar(tx, "SELECT COUNT(*) FROM trials WHERE COALESCE(retry_of, id) = @root", ("root", t.Root)), CultureInfo.InvariantCulture);
            bool retry = attempts < maxAttempts;
            string reason = retry ? $"interrupted: {why} ({t.Worker}); queued again"
                : $"interrupted {attempts} times ({why}, last {t.Worker}): not queued again";
            // Changed only if still running (a worker may have finished it meanwhile), as Optuna's fail_stale_trials.
            if (Execute(tx, $"UPDATE trials SET status = @status, failure_reason = @reason, finished_at = @at WHERE id = @id AND status = 'running'",
                    ("status", retry ? "interrupted" : "failed"), ("reason", reason), ("at", Now()), ("id", t.Id)) != 1) continue;
            if (retry) Insert(tx, t.Arch, ParsePhase(t.Phase), "waiting", t.Root);
        }
        return stale.Count;
    }

    public IReadOnlyList<Trial> Outcomes(IReadOnlyCollection<int> roots, SearchSpace space)
    {
        if (roots.Count == 0) return [];
        string list = string.Join(", ", roots.Select(r => r.ToString(CultureInfo.InvariantCulture)));
        return Read(space, $"WHERE status IN ('done', 'failed') AND COALESCE(retry_of, id) IN ({list})");
    }

    public IReadOnlyList<Trial> Load(SearchSpace space) => Read(space, "");

    private List<Trial> Read(SearchSpace space, string where) => Run(() =>
    {
        lock (_gate)
        {
            using var cmd = Command(null, $"SELECT {Columns} FROM trials {where} ORDER BY COALESCE(retry_of, id), id");
            using var reader = cmd.ExecuteReader();
            var trials = new List<Trial>();
            while (reader.Read()) trials.Add(ReadTrial(reader, space));
            return trials;
        }
    });

    private Trial ReadTrial(DbDataReader reader, SearchSpace space)
    {
        var status = reader.GetString(3) switch
        {
            "done" => TrialStatus.Done, "failed" => TrialStatus.Failed, "interrupted" => TrialStatus.Interrupted,
            "waiting" => TrialStatus.Waiting, _ => TrialStatus.Running,
        };
        double? D(int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);
        Metrics? metrics = reader.IsDBNull(4) ? null : new Metrics(reader.GetDouble(4), D(5),
            reader.IsDBNull(6) ? null : Convert.ToInt64(reader.GetValue(6), CultureInfo.InvariantCulture), D(7), D(8), D(9))
        {
            Extra = reader.IsDBNull(10) ? new Dictionary<string, double>()
                : JsonSerializer.Deserialize<Dictionary<string, double>>(reader.GetString(10))!,
        };
        return new Trial(Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture), space.Parse(reader.GetString(2)), status, metrics,
            reader.IsDBNull(11) ? null : reader.GetString(11), reader.IsDBNull(12) ? 0 : reader.GetDouble(12))
        {
            Phase = ParsePhase(reader.GetString(1)),
            RetryOf = reader.IsDBNull(13) ? null : Convert.ToInt32(reader.GetValue(13), CultureInfo.InvariantCulture),
        };
    }

    /// <summary>A phase as the trials table spells it ("trial", "controller", "rank", "final", "fixed").</summary>
    public static string PhaseName(TrialPhase phase) => phase.ToString().ToLowerInvariant();

    private TrialPhase ParsePhase(string text) => Enum.TryParse<TrialPhase>(text, ignoreCase: true, out var phase) ? phase
        : throw new NascentException($"{Location} holds a trial of unknown phase '{text}': it was written by another Nascent version.");

    public string? GetMeta(string key) => Run(() =>
    {
        lock (_gate) return Scalar(null, "SELECT value FROM meta WHERE key = @k", ("k", key)) as string;
    });

    public void SetMeta(string key, string value) => Write(tx => Execute(tx,
        "INSERT INTO meta (key, value) VALUES (@k, @v) ON CONFLICT (key) DO UPDATE SET value = excluded.value", ("k", key), ("v", value)));

    /// <summary>Number of trials in the store.</summary>
    protected long CountTrials() => Run(() =>
    {
        lock (_gate) return Convert.ToInt64(Scalar(null, "SELECT COUNT(*) FROM trials"), CultureInfo.InvariantCulture);
    });

    /// <summary>One transaction around <paramref name="write"/>: committed whole or not at all.</summary>
    protected T Write<T>(Func<DbTransaction, T> write) => Run(() =>
    {
        lock (_gate)
        {
            using var tx = Connection.BeginTransaction();
            var result = write(tx);
            tx.Commit();
            return result;
        }
    });

    protected static string Now() => DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    protected DbCommand Command(DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (name, value) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = "@" + name;
            p.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    protected int Execute(DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(tx, sql, parameters);
        return cmd.ExecuteNonQuery();
    }

    protected object? Scalar(DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(tx, sql, parameters);
        return cmd.ExecuteScalar();
    }
}
