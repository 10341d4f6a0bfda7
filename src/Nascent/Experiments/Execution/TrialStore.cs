using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Nascent.Core;
using Nascent.Evaluation;
using Nascent.Spaces;
using Nascent.Strategies;

namespace Nascent.Experiments.Execution;

/// <summary>
/// The run's trials in an embedded SQLite database (<c>trials.db</c> in the run directory), in write-ahead-log mode:
/// every write is one transaction, so a process killed at any moment leaves the last committed state, never a
/// half-written trial. Numbers are stored as IEEE doubles, never as formatted text. The table <c>meta</c> names the
/// format and its version; a file of another format or version, or a damaged one, is refused with one clear line.
/// SQLite-only statements (pragmas, the integrity check, the catalogue) stay in <see cref="Open"/>; the queries
/// themselves are plain SQL that PostgreSQL runs as well.
/// </summary>
public sealed class TrialStore : ITrialStore
{
    public const string FileName = "trials.db";
    public const string Format = "nascent-trials";
    public const int FormatVersion = 2;

    private const string Schema = """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE trials (
            id INTEGER PRIMARY KEY,
            phase TEXT NOT NULL,
            arch TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'interrupted')),
            accuracy DOUBLE PRECISION, loss DOUBLE PRECISION, params BIGINT, test_accuracy DOUBLE PRECISION,
            latency_ms DOUBLE PRECISION, flops DOUBLE PRECISION, extra TEXT, failure_reason TEXT,
            started_at TEXT NOT NULL, finished_at TEXT, seconds DOUBLE PRECISION);
        """;

    private const string InterruptedReason = "interrupted: the run stopped while it ran; run again on resume";

    private readonly SqliteConnection _connection;

    /// <summary>Opens the store at <paramref name="path"/>, creating it when the file is absent or empty.</summary>
    public TrialStore(string path)
    {
        Location = path;
        bool create = !File.Exists(path) || new FileInfo(path).Length == 0;
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path, Pooling = false, Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
        }.ToString());
        try
        {
            Open(create);
        }
        catch (Exception e) when (StoreFaults.IsStorageFault(e))
        {
            _connection.Dispose();
            throw new NascentException(StoreFaults.Describe(e, path));
        }
        catch (SqliteException e)
        {
            _connection.Dispose();
            throw new NascentException($"Trial store {path} cannot be read ({e.Message.TrimEnd('.')}): it is corrupt or not a Nascent run.");
        }
        catch (NascentException)
        {
            _connection.Dispose();
            throw;
        }
    }

    public string Location { get; }

    /// <summary>True when <paramref name="path"/> holds a store with at least one trial.</summary>
    public static bool HasTrials(string path)
    {
        if (!File.Exists(path) || new FileInfo(path).Length == 0) return false;
        using var store = new TrialStore(path);
        return Convert.ToInt64(store.Scalar("SELECT COUNT(*) FROM trials"), CultureInfo.InvariantCulture) > 0;
    }

    private void Open(bool create)
    {
        _connection.Open();
        if (create)
        {
            Execute("PRAGMA journal_mode=WAL;");
            using var tx = _connection.BeginTransaction();
            Execute(Schema, tx);
            Execute($"INSERT INTO meta (key, value) VALUES ('format', '{Format}'), ('format_version', '{FormatVersion}')", tx);
            tx.Commit();
            return;
        }
        string check = Convert.ToString(Scalar("PRAGMA quick_check"), CultureInfo.InvariantCulture) ?? "";
        if (check != "ok") throw new NascentException($"Trial store {Location} is damaged ({check}): it cannot be resumed or read; start a new run with another --out.");
        if (Convert.ToInt64(Scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('meta', 'trials')"), CultureInfo.InvariantCulture) != 2)
            throw new NascentException($"{Location} is an SQLite database but not a Nascent trial store (no meta and trials tables).");
        string? format = GetMeta("format"), version = GetMeta("format_version");
        if (version is null || (format is not null && format != Format))
            throw new NascentException($"{Location} is an SQLite database but not a Nascent trial store (format {format ?? "unnamed"}).");
        if (version != FormatVersion.ToString(CultureInfo.InvariantCulture) || format is null)
            throw new NascentException($"Trial store {Location} has format version {version}; this Nascent reads version {FormatVersion} " +
                "(a run from another Nascent version: rerun it with this one, into another --out).");
        Execute("PRAGMA journal_mode=WAL;");
    }

    public void Dispose() => _connection.Dispose();

    public int Begin(Architecture architecture, TrialPhase phase) => Guard(() =>
    {
        using var tx = _connection.BeginTransaction();
        // Ids are given here, not by the database (SQLite's rowid and PostgreSQL's identity columns differ).
        int id = Convert.ToInt32(Scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM trials", tx), CultureInfo.InvariantCulture);
        using var cmd = Command("INSERT INTO trials (id, phase, arch, status, started_at) VALUES ($id, $phase, $arch, 'running', $at)", tx);
        cmd.Parameters.AddWithValue("$id", id);
        cmd.Parameters.AddWithValue("$phase", PhaseName(phase));
        cmd.Parameters.AddWithValue("$arch", architecture.ToString());
        cmd.Parameters.AddWithValue("$at", Now());
        cmd.ExecuteNonQuery();
        tx.Commit();
        return id;
    });

    public void Finish(Trial trial)
    {
        if (trial.Status is not (TrialStatus.Done or TrialStatus.Failed))
            throw new ArgumentException($"A trial ends done or failed (got {trial.Status}).", nameof(trial));
        Guard(() => FinishRunning(trial));
    }

    private bool FinishRunning(Trial trial)
    {
        using var tx = _connection.BeginTransaction();
        using var cmd = Command("""
            UPDATE trials SET status = $status, accuracy = $acc, loss = $loss, params = $params,
              test_accuracy = $test, latency_ms = $latency, flops = $flops, extra = $extra,
              failure_reason = $reason, finished_at = $at, seconds = $seconds
            WHERE id = $id AND status = 'running'
            """, tx);
        var m = trial.Metrics;
        cmd.Parameters.AddWithValue("$id", trial.Id);
        cmd.Parameters.AddWithValue("$status", trial.Status == TrialStatus.Done ? "done" : "failed");
        cmd.Parameters.AddWithValue("$acc", (object?)m?.Accuracy ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$loss", (object?)m?.Loss ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$params", (object?)m?.Parameters ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$test", (object?)m?.TestAccuracy ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$latency", (object?)m?.LatencyMs ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$flops", (object?)m?.Flops ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$extra", m is null || m.Extra.Count == 0 ? DBNull.Value : JsonSerializer.Serialize(m.Extra));
        cmd.Parameters.AddWithValue("$reason", (object?)trial.FailureReason ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$at", Now());
        cmd.Parameters.AddWithValue("$seconds", trial.Seconds);
        if (cmd.ExecuteNonQuery() != 1) throw new InvalidOperationException($"Trial {trial.Id} is not running in {Location}.");
        tx.Commit();
        return true;
    }

    public int MarkInterrupted() => Guard(() =>
    {
        using var tx = _connection.BeginTransaction();
        using var cmd = Command("UPDATE trials SET status = 'interrupted', failure_reason = $reason WHERE status = 'running'", tx);
        cmd.Parameters.AddWithValue("$reason", InterruptedReason);
        int count = cmd.ExecuteNonQuery();
        tx.Commit();
        return count;
    });

    public IReadOnlyList<Trial> Load(SearchSpace space)
    {
        using var cmd = Command("SELECT id, phase, arch, status, accuracy, loss, params, test_accuracy, latency_ms, flops, extra, failure_reason, seconds FROM trials ORDER BY id");
        using var reader = cmd.ExecuteReader();
        var trials = new List<Trial>();
        while (reader.Read())
        {
            var status = reader.GetString(3) switch
            {
                "done" => TrialStatus.Done, "failed" => TrialStatus.Failed, "interrupted" => TrialStatus.Interrupted,
                _ => TrialStatus.Running,
            };
            double? D(int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);
            Metrics? metrics = reader.IsDBNull(4) ? null : new Metrics(reader.GetDouble(4), D(5),
                reader.IsDBNull(6) ? null : reader.GetInt64(6), D(7), D(8), D(9))
            {
                Extra = reader.IsDBNull(10) ? new Dictionary<string, double>()
                    : JsonSerializer.Deserialize<Dictionary<string, double>>(reader.GetString(10))!,
            };
            trials.Add(new Trial(reader.GetInt32(0), space.Parse(reader.GetString(2)), status, metrics,
                reader.IsDBNull(11) ? null : reader.GetString(11), reader.IsDBNull(12) ? 0 : reader.GetDouble(12))
            {
                Phase = ParsePhase(reader.GetString(1)),
            });
        }
        return trials;
    }

    /// <summary>A phase as the trials table spells it ("trial", "controller", "rank", "final", "fixed").</summary>
    public static string PhaseName(TrialPhase phase) => phase.ToString().ToLowerInvariant();

    private TrialPhase ParsePhase(string text) => Enum.TryParse<TrialPhase>(text, ignoreCase: true, out var phase) ? phase
        : throw new NascentException($"{Location} holds a trial of unknown phase '{text}': it was written by another Nascent version.");

    public string? GetMeta(string key)
    {
        using var cmd = Command("SELECT value FROM meta WHERE key = $k");
        cmd.Parameters.AddWithValue("$k", key);
        return cmd.ExecuteScalar() as string;
    }

    public void SetMeta(string key, string value) => Guard(() =>
    {
        using var cmd = Command("INSERT INTO meta (key, value) VALUES ($k, $v) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        cmd.Parameters.AddWithValue("$k", key);
        cmd.Parameters.AddWithValue("$v", value);
        return cmd.ExecuteNonQuery();
    });

    /// <summary>Runs one write; a full disk or an I/O fault becomes one line (the transaction rolled back, what was
    /// committed before it kept).</summary>
    private T Guard<T>(Func<T> write)
    {
        try
        {
            return write();
        }
        catch (Exception e) when (StoreFaults.IsStorageFault(e))
        {
            throw new NascentException(StoreFaults.Describe(e, Location));
        }
    }

    private static string Now() => DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    private SqliteCommand Command(string sql, SqliteTransaction? tx = null)
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        return cmd;
    }

    private void Execute(string sql, SqliteTransaction? tx = null)
    {
        using var cmd = Command(sql, tx);
        cmd.ExecuteNonQuery();
    }

    private object? Scalar(string sql, SqliteTransaction? tx = null)
    {
        using var cmd = Command(sql, tx);
        return cmd.ExecuteScalar();
    }
}
