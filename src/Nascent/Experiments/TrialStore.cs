using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Nascent.Core;
using Nascent.Evaluation;
using Nascent.Spaces;
using Nascent.Strategies;

namespace Nascent.Experiments;

/// <summary>
/// The run's trials in an embedded SQLite database (<c>trials.db</c> in the run directory). Each trial is written
/// when it starts (status running) and again when it ends, each write in its own transaction; finished trials never
/// change. Numbers are stored as SQLite REAL (IEEE doubles), never as formatted text. The SQL is plain enough for a
/// server database to run.
/// </summary>
public sealed class TrialStore : IDisposable
{
    public const string FileName = "trials.db";
    private const int FormatVersion = 1;
    private readonly SqliteConnection _connection;
    private readonly string _path;

    public TrialStore(string path)
    {
        _path = path;
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        try
        {
            _connection.Open();
            Execute("PRAGMA journal_mode=WAL;");
            Execute("""
                CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS trials (
                    id INTEGER PRIMARY KEY,
                    phase TEXT NOT NULL,
                    arch TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
                    accuracy REAL, loss REAL, params INTEGER, test_accuracy REAL, latency_ms REAL, flops REAL,
                    extra TEXT, failure_reason TEXT,
                    started_at TEXT NOT NULL, seconds REAL);
                """);
            var version = Scalar("SELECT value FROM meta WHERE key = 'format_version'");
            if (version is null) Execute($"INSERT INTO meta (key, value) VALUES ('format_version', '{FormatVersion}')");
            else if (Convert.ToString(version, CultureInfo.InvariantCulture) != FormatVersion.ToString(CultureInfo.InvariantCulture))
                throw new NascentException($"Trial store {path} has format version {version}; this Nascent reads version {FormatVersion}.");
        }
        catch (SqliteException e)
        {
            _connection.Dispose();
            throw new NascentException($"Trial store {path} cannot be read ({e.Message.TrimEnd('.')}): it is corrupt or not a Nascent run.");
        }
    }

    public void Dispose() => _connection.Dispose();

    /// <summary>Records a trial as running and returns its id.</summary>
    public int Begin(Architecture architecture, string phase)
    {
        using var tx = _connection.BeginTransaction();
        using var cmd = _connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT INTO trials (phase, arch, status, started_at) VALUES ($phase, $arch, 'running', $at); SELECT last_insert_rowid();";
        cmd.Parameters.AddWithValue("$phase", phase);
        cmd.Parameters.AddWithValue("$arch", architecture.ToString());
        cmd.Parameters.AddWithValue("$at", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        int id = Convert.ToInt32(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        tx.Commit();
        return id;
    }

    /// <summary>Records how a trial ended (done with metrics, or failed with its reason).</summary>
    public void Finish(Trial trial)
    {
        using var tx = _connection.BeginTransaction();
        using var cmd = _connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            UPDATE trials SET status = $status, accuracy = $acc, loss = $loss, params = $params,
              test_accuracy = $test, latency_ms = $latency, flops = $flops, extra = $extra,
              failure_reason = $reason, seconds = $seconds
            WHERE id = $id AND status = 'running'
            """;
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
        cmd.Parameters.AddWithValue("$seconds", trial.Seconds);
        if (cmd.ExecuteNonQuery() != 1) throw new InvalidOperationException($"Trial {trial.Id} is not running in {_path}.");
        tx.Commit();
    }

    /// <summary>Every trial in id order, read back into architectures of <paramref name="space"/>.</summary>
    public IReadOnlyList<(string Phase, Trial Trial)> Load(SearchSpace space)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT id, phase, arch, status, accuracy, loss, params, test_accuracy, latency_ms, flops, extra, failure_reason, seconds FROM trials ORDER BY id";
        using var reader = cmd.ExecuteReader();
        var trials = new List<(string, Trial)>();
        while (reader.Read())
        {
            var status = reader.GetString(3) switch { "done" => TrialStatus.Done, "failed" => TrialStatus.Failed, _ => TrialStatus.Running };
            double? D(int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);
            Metrics? metrics = reader.IsDBNull(4) ? null : new Metrics(reader.GetDouble(4), D(5),
                reader.IsDBNull(6) ? null : reader.GetInt64(6), D(7), D(8), D(9))
            {
                Extra = reader.IsDBNull(10) ? new Dictionary<string, double>()
                    : JsonSerializer.Deserialize<Dictionary<string, double>>(reader.GetString(10))!,
            };
            trials.Add((reader.GetString(1), new Trial(reader.GetInt32(0), space.Parse(reader.GetString(2)), status, metrics,
                reader.IsDBNull(11) ? null : reader.GetString(11), reader.IsDBNull(12) ? 0 : reader.GetDouble(12))));
        }
        return trials;
    }

    public void SetMeta(string key, string value)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "INSERT INTO meta (key, value) VALUES ($k, $v) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
        cmd.Parameters.AddWithValue("$k", key);
        cmd.Parameters.AddWithValue("$v", value);
        cmd.ExecuteNonQuery();
    }

    private void Execute(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }
}
