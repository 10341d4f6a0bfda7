using Microsoft.Data.Sqlite;

namespace Nascent.Experiments.Execution;

/// <summary>
/// Faults of the disk under a run (the trial store, checkpoints, JSON files) as one line for the user. A full disk is
/// named as such (ENOSPC from the operating system, SQLITE_FULL from SQLite); every store write is one transaction,
/// so what was committed before the fault stays, and the run resumes once there is room.
/// </summary>
public static class StoreFaults
{
    private const int Enospc = 28, SqliteFull = 13, SqliteIoErr = 10;
    private const int WindowsDiskFull = unchecked((int)0x80070070), WindowsHandleDiskFull = unchecked((int)0x80070027);

    public static bool IsDiskFull(Exception e) => e switch
    {
        SqliteException s => (s.SqliteErrorCode & 0xFF) == SqliteFull,
        IOException io => io.HResult is Enospc or WindowsDiskFull or WindowsHandleDiskFull
            || io.Message.Contains("No space left on device", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>True for the faults <see cref="Describe"/> puts in one line: I/O errors, refused access, SQLite's
    /// full-disk and I/O errors.</summary>
    public static bool IsStorageFault(Exception e) => e is IOException or UnauthorizedAccessException
        || e is SqliteException s && (s.SqliteErrorCode & 0xFF) is SqliteFull or SqliteIoErr;

    /// <summary>One line: what failed where, and what to do.</summary>
    public static string Describe(Exception e, string location)
    {
        string detail = e.Message.Split('\n')[0].TrimEnd('.');
        if (IsDiskFull(e))
            return $"the disk holding {location} is full ({detail}): trials finished so far are kept; free some space, then resume the run.";
        return $"cannot write {location} ({detail}): trials finished so far are kept; fix the fault, then resume the run.";
    }
}
