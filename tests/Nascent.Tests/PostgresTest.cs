using System.Reflection;
using Xunit.Sdk;

namespace Nascent.Tests;

/// <summary>
/// The PostgreSQL server the tests may use: NASCENT_TEST_PG holds its address without a password
/// (postgresql://USER@HOST:PORT/DATABASE), the password is in PGPASSWORD or a pgpass file; .ci/run starts a throwaway
/// server and sets both. Without it, the tests that need a server are reported as skipped, saying so.
/// NASCENT_TEST_PG_RESTART, when set, is a shell command that restarts that server (the reconnection test).
/// </summary>
public static class PostgresTest
{
    public const string SkipReason = "no PostgreSQL server: set NASCENT_TEST_PG=postgresql://USER@HOST:PORT/DB (and PGPASSWORD), as .ci/run does; test skipped.";

    public static string? Address { get; } = Environment.GetEnvironmentVariable("NASCENT_TEST_PG") is { Length: > 0 } a ? a : null;

    public static string? Restart { get; } = Environment.GetEnvironmentVariable("NASCENT_TEST_PG_RESTART") is { Length: > 0 } r ? r : null;

    /// <summary>The address of study <paramref name="study"/> on the test server.</summary>
    public static string Study(string study) => $"{Address}{(Address!.Contains('?') ? '&' : '?')}study={study}";
}

public static class StoreKinds
{
    public const string Sqlite = "sqlite", Postgres = "postgresql";
}

/// <summary>Runs a store theory on SQLite.</summary>
public sealed class SqliteStoreAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[StoreKinds.Sqlite]];
}

/// <summary>Runs a store theory on PostgreSQL; skipped, saying why, without a server.</summary>
public sealed class PostgresStoreAttribute : DataAttribute
{
    public PostgresStoreAttribute()
    {
        if (PostgresTest.Address is null) Skip = PostgresTest.SkipReason;
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[StoreKinds.Postgres]];
}

/// <summary>A fact that needs the PostgreSQL server (and, with <see cref="Restarts"/>, the command that restarts it;
/// with <see cref="Password"/>, a password in PGPASSWORD); skipped, saying why, without them.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public bool Restarts { get; init; }
    public bool Password { get; init; }

    public override string? Skip
    {
        get => PostgresTest.Address is null ? PostgresTest.SkipReason
            : Restarts && PostgresTest.Restart is null ? "NASCENT_TEST_PG_RESTART (a command that restarts the server) is not set, as .ci/run sets it; test skipped."
            : Password && Environment.GetEnvironmentVariable("PGPASSWORD") is not { Length: > 0 } ? "PGPASSWORD is not set (the server takes no password here); test skipped."
            : base.Skip;
        set => base.Skip = value;
    }
}
