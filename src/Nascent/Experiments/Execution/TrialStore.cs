using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Nascent.Experiments.Execution;

/// <summary>
/// The run's trials in an embedded SQLite database (<c>trials.db</c> in the run directory), in write-ahead-log mode:
/// every write is one (immediate) transaction, so a process killed at any moment leaves the last committed state,
/// never a half-written trial, and the worker processes of one machine share it as a queue. Numbers are stored as
/// IEEE doubles, never as formatted text. The table <c>meta</c> names the format and its version; a store of format
/// version 2 (before the queue) is migrated in place when opened, an older or foreign file, or a damaged one, is
/// refused with one clear line. SQLite-only statements (pragmas, the integrity check, the catalogue, the migration)
/// stay here; the queries are <see cref="SqlTrialStore"/>'s.
/// </summary>
public sealed class TrialStore : SqlTrialStore
{
    public const string FileName = "trials.db";

    /// <summary>The trials table before the queue (format version 2), which <see cref="Migrate"/> reads.</summary>
    private const string Version2Columns = "id, phase, arch, status, accuracy, loss, params, test_accuracy, latency_ms, flops, extra, failure_reason, started_at, finished_at, seconds";

    private readonly SqliteConnection _connection;

    /// <summary>Opens the store at <paramref name="path"/>, creating it when the file is absent or empty.</summary>
    public TrialStore(string path)
    {
        Location = path;
        bool create = !File.Exists(path) || new FileInfo(path).Length == 0;
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path, Pooling = false, Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            DefaultTimeout = 60, // seconds a writer waits for another process's transaction (workers share the file)
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

    public override string Location { get; }

    protected override System.Data.Common.DbConnection Connection => _connection;

    protected override string NowSql => "((julianday('now') - 2440587.5) * 86400.0)";

    protected override string ClaimLockSql => ""; // the transaction is immediate: it holds the write lock already

    /// <summary>True when <paramref name="path"/> holds a store with at least one trial.</summary>
    public static bool HasTrials(string path)
    {
        if (!File.Exists(path) || new FileInfo(path).Length == 0) return false;
        using var store = new TrialStore(path);
        return store.CountTrials() > 0;
    }

    private void Open(bool create)
    {
        _connection.Open();
        if (create)
        {
            Execute(null, "PRAGMA journal_mode=WAL;");
            Write(tx => Execute(tx, MetaTable + TrialsTable +
                $"INSERT INTO meta (key, value) VALUES ('format', '{Format}'), ('format_version', '{FormatVersion}')"));
            return;
        }
        string check = Convert.ToString(Scalar(null, "PRAGMA quick_check"), CultureInfo.InvariantCulture) ?? "";
        if (check != "ok") throw new NascentException($"Trial store {Location} is damaged ({check}): it cannot be resumed or read; start a new run with another --out.");
        if (Convert.ToInt64(Scalar(null, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('meta', 'trials')"), CultureInfo.InvariantCulture) != 2)
            throw new NascentException($"{Location} is an SQLite database but not a Nascent trial store (no meta and trials tables).");
        string? format = GetMeta("format"), version = GetMeta("format_version");
        if (version is null || (format is not null && format != Format))
            throw new NascentException($"{Location} is an SQLite database but not a Nascent trial store (format {format ?? "unnamed"}).");
        if (version == "2" && format is not null) Migrate();
        else if (version != FormatVersion.ToString(CultureInfo.InvariantCulture) || format is null)
            throw new NascentException($"Trial store {Location} has format version {version}; this Nascent reads version {FormatVersion} (and migrates version 2) " +
                "(a run from another Nascent version: rerun it with this one, into another --out).");
        Execute(null, "PRAGMA journal_mode=WAL;");
    }

    /// <summary>Format version 2 to 3, in one transaction: the same trials in the table with the queue's columns
    /// (SQLite cannot widen a CHECK constraint in place, so the table is copied).</summary>
    private void Migrate() => Write(tx =>
    {
        Execute(tx, "ALTER TABLE trials RENAME TO trials_v2");
        Execute(tx, TrialsTable);
        Execute(tx, $"INSERT INTO trials ({Version2Columns}) SELECT {Version2Columns} FROM trials_v2");
        Execute(tx, "DROP TABLE trials_v2");
        return Execute(tx, $"UPDATE meta SET value = '{FormatVersion}' WHERE key = 'format_version'");
    });

    public override void Dispose() => _connection.Dispose();

    /// <summary>A full disk or an I/O fault becomes one line (the transaction rolled back, what was committed
    /// before it kept).</summary>
    protected override T Run<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (StoreFaults.IsStorageFault(e))
        {
            throw new NascentException(StoreFaults.Describe(e, Location));
        }
    }
}
