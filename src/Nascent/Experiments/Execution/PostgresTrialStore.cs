using System.Data.Common;
using System.Text.RegularExpressions;
using Npgsql;

namespace Nascent.Experiments.Execution;

/// <summary>
/// The trial store on a PostgreSQL server (Npgsql), for workers on many machines:
/// <c>postgresql://USER@HOST:PORT/DATABASE?study=NAME</c> (<c>&amp;host=/socket/dir</c> for a Unix socket). Each study
/// is a schema of its own (<c>nascent_NAME</c>) holding the same two tables as the SQLite store, so the queries are
/// <see cref="SqlTrialStore"/>'s; a claim locks its row with FOR UPDATE SKIP LOCKED, so workers never wait for each
/// other, and the transactions that give ids hold a transaction-scoped advisory lock. The password comes from the
/// PGPASSWORD environment variable or a pgpass file (Npgsql reads PGPASSFILE or ~/.pgpass), never from the address:
/// an address with a password is refused, and <see cref="Location"/> (named in every message) has none. A lost
/// connection is reopened and the transaction retried, with growing pauses, for about a minute before it fails in
/// one line.
/// </summary>
public sealed partial class PostgresTrialStore : SqlTrialStore
{
    private const int CoordinatorLockKey = 0, IdLockKey = 1;
    private readonly TimeSpan _retryFor;

    private readonly string _connectionString, _schema;
    private NpgsqlConnection _connection;
    private NpgsqlConnection? _coordinatorLock;

    /// <param name="retryFor">How long a lost connection is retried before the store gives up (default a minute).</param>
    public PostgresTrialStore(string address, TimeSpan? retryFor = null)
    {
        _retryFor = retryFor ?? TimeSpan.FromSeconds(60);
        var m = AddressPattern().Match(address);
        if (!m.Success)
            throw new NascentException($"--store {Redacted(address)}: expected postgresql://USER@HOST:PORT/DATABASE?study=NAME.");
        if (m.Groups["password"].Success)
            throw new NascentException("--store: the address holds a password; give it in the PGPASSWORD environment variable or a pgpass file, never on the command line.");
        var query = (m.Groups["query"].Success ? m.Groups["query"].Value : "").Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "");
        if (!query.TryGetValue("study", out var study) || !StudyPattern().IsMatch(study))
            throw new NascentException($"--store {address}: name the study with ?study=NAME (letters, digits, _ and -, at most 50).");
        string host = query.TryGetValue("host", out var h) ? h : Uri.UnescapeDataString(m.Groups["host"].Value);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = host.Length > 0 ? host : "localhost",
            Port = m.Groups["port"].Success ? int.Parse(m.Groups["port"].Value, CultureInfo.InvariantCulture) : 5432,
            Username = Uri.UnescapeDataString(m.Groups["user"].Value),
            Database = Uri.UnescapeDataString(m.Groups["database"].Value),
            Pooling = false,
            Timeout = 10,
            ApplicationName = "nascent",
        };
        if (Environment.GetEnvironmentVariable("PGPASSWORD") is { Length: > 0 } password) builder.Password = password;
        Study = study;
        _schema = "nascent_" + study.Replace('-', '_').ToLowerInvariant();
        builder.SearchPath = _schema;
        _connectionString = builder.ConnectionString;
        Location = $"postgresql://{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}?study={study}";
        _connection = Run(() => Connect(create: true));
    }

    /// <summary>True when <paramref name="text"/> names a PostgreSQL store (rather than a run directory's file).</summary>
    public static bool IsAddress(string text) => text.StartsWith("postgresql://", StringComparison.Ordinal) || text.StartsWith("postgres://", StringComparison.Ordinal);

    public string Study { get; }

    public override string Location { get; }

    protected override DbConnection Connection => _connection;

    protected override string NowSql => "EXTRACT(EPOCH FROM clock_timestamp())::double precision";

    protected override string ClaimLockSql => " FOR UPDATE SKIP LOCKED";

    protected override void LockIds(DbTransaction tx) => Execute(tx, $"SELECT pg_advisory_xact_lock(hashtext('{_schema}'), {IdLockKey})");

    private NpgsqlConnection Connect(bool create)
    {
        var connection = new NpgsqlConnection(_connectionString);
        try
        {
            connection.Open();
            if (!create) return connection;
            using var tx = connection.BeginTransaction();
            void Sql(string sql)
            {
                using var cmd = new NpgsqlCommand(sql, connection, tx);
                cmd.ExecuteNonQuery();
            }
            // One creator at a time: workers may connect to a study the coordinator is creating.
            Sql($"SELECT pg_advisory_xact_lock(hashtext('{_schema}'), {IdLockKey})");
            Sql($"CREATE SCHEMA IF NOT EXISTS {_schema}");
            using (var exists = new NpgsqlCommand("SELECT to_regclass('trials') IS NOT NULL", connection, tx))
                if (!(bool)exists.ExecuteScalar()!)
                    Sql(MetaTable + TrialsTable +
                        $"INSERT INTO meta (key, value) VALUES ('format', '{Format}'), ('format_version', '{FormatVersion}')");
            using (var version = new NpgsqlCommand("SELECT value FROM meta WHERE key = 'format_version'", connection, tx))
                if (version.ExecuteScalar() as string != FormatVersion.ToString(CultureInfo.InvariantCulture))
                    throw new NascentException($"Study {Location} has trial store format version {version.ExecuteScalar() ?? "none"}; this Nascent reads version {FormatVersion}.");
            tx.Commit();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Takes the study's coordinator lock (a session advisory lock on a connection of its own, released when
    /// it closes or its process dies), or throws naming the coordinator that holds it.</summary>
    public IDisposable LockCoordinator()
    {
        var connection = Run(() => Connect(create: false));
        using (var cmd = new NpgsqlCommand($"SELECT pg_try_advisory_lock(hashtext('{_schema}'), {CoordinatorLockKey})", connection))
            if (!(bool)cmd.ExecuteScalar()!)
            {
                connection.Dispose();
                throw new NascentException($"study {Location} is in use by {GetMeta(CoordinatorKey) ?? "another coordinator"}: wait for it to end, or stop it, then resume.");
            }
        _coordinatorLock = connection;
        SetMeta(CoordinatorKey, string.Create(CultureInfo.InvariantCulture,
            $"pid {Environment.ProcessId} on {Environment.MachineName} since {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC"));
        return new Releaser(this);
    }

    private const string CoordinatorKey = "coordinator";

    private sealed class Releaser(PostgresTrialStore store) : IDisposable
    {
        public void Dispose()
        {
            store._coordinatorLock?.Dispose();
            store._coordinatorLock = null;
        }
    }

    /// <summary>Removes the study (its schema and every trial in it): for tests.</summary>
    public void Drop() => Run(() =>
    {
        using var cmd = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", _connection);
        return cmd.ExecuteNonQuery();
    });

    public override void Dispose()
    {
        _coordinatorLock?.Dispose();
        _connection.Dispose();
    }

    /// <summary>Runs one transaction; a lost connection is reopened and the transaction run again (it was rolled
    /// back with the connection), with pauses of 0.25 s doubling to 5 s, for the retry time. A refused
    /// password or any other error of the server is one line.</summary>
    protected override T Run<T>(Func<T> action)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                return action();
            }
            catch (PostgresException e) when (e.SqlState is "28P01" or "28000")
            {
                throw new NascentException($"{Location}: the server refused the password of {UserOf()} ({e.MessageText}); " +
                    "set PGPASSWORD or a pgpass file.");
            }
            catch (Exception e) when (IsConnectionLoss(e) && clock.Elapsed < _retryFor)
            {
                Thread.Sleep(pause);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
                try
                {
                    var fresh = Connect(create: false);
                    _connection?.Dispose();
                    _connection = fresh;
                }
                catch (Exception again) when (IsConnectionLoss(again))
                {
                    // still down: wait and try again
                }
            }
            catch (Exception e) when (IsConnectionLoss(e))
            {
                throw new NascentException($"{Location}: the database cannot be reached ({FirstLine(e)}); retried for {_retryFor.TotalSeconds:F0} s. " +
                    "Trials recorded so far are kept: resume once it is back.");
            }
            catch (PostgresException e)
            {
                throw new NascentException($"{Location}: {e.SqlState} {e.MessageText}.");
            }
        }
    }

    private string UserOf() => new NpgsqlConnectionStringBuilder(_connectionString).Username ?? "the user";

    private static bool IsConnectionLoss(Exception e) => e switch
    {
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState is "57P01" or "57P02" or "57P03",
        NpgsqlException n => n.IsTransient || n.InnerException is IOException or System.Net.Sockets.SocketException || n.Message.Contains("connection", StringComparison.OrdinalIgnoreCase),
        InvalidOperationException i => i.Message.Contains("onnection", StringComparison.Ordinal), // used after the server closed it
        _ => false,
    };

    private static string FirstLine(Exception e) => e.Message.Split('\n')[0].TrimEnd('.');

    /// <summary>An address with its password, if any, replaced (for the message that refuses it).</summary>
    private static string Redacted(string address) => PasswordPattern().Replace(address, "$1:***@");

    [GeneratedRegex(@"^postgres(?:ql)?://(?<user>[^@/:?]+)(?::(?<password>[^@]*))?@(?<host>[^/:?]*)(?::(?<port>\d+))?/(?<database>[^?/]+)(?:\?(?<query>.*))?$")]
    private static partial Regex AddressPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,50}$")]
    private static partial Regex StudyPattern();

    [GeneratedRegex(@"^(postgres(?:ql)?://[^@/:?]+):[^@]*@")]
    private static partial Regex PasswordPattern();
}
