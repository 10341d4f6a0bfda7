namespace Nascent.Experiments.Execution;

/// <summary>
/// One coordinator per run directory: an exclusive operating-system lock on <c>RUN/.lock</c> (a <see cref="FileStream"/>
/// opened with <see cref="FileShare.None"/>, which .NET takes as <c>flock(LOCK_EX)</c> on Linux), held while the
/// search runs. The kernel drops it when the process dies, even by SIGKILL, so a stale lock cannot outlive its holder.
/// Who holds it (pid, host, start time) is written beside it in <c>.lock.owner</c>, because the locked file itself
/// cannot be opened by anyone else; a second coordinator gets one line naming the holder.
/// </summary>
public sealed class RunLock : IDisposable
{
    public const string FileName = ".lock";
    public const string OwnerFileName = ".lock.owner";

    private readonly FileStream _stream;

    private RunLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock of <paramref name="runDirectory"/>, or throws a <see cref="NascentException"/> naming
    /// the process that holds it.</summary>
    public static RunLock Acquire(string runDirectory)
    {
        string path = Path.Combine(runDirectory, FileName), owner = Path.Combine(runDirectory, OwnerFileName);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (!StoreFaults.IsDiskFull(e))
        {
            string holder = File.Exists(owner) ? File.ReadAllText(owner).Trim() : "another process";
            throw new NascentException($"run {runDirectory} is in use by {holder}: wait for it to end, or stop it, then resume.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NascentException(StoreFaults.Describe(e, path));
        }
        try
        {
            string text = string.Create(CultureInfo.InvariantCulture,
                $"pid {Environment.ProcessId} on {Environment.MachineName} since {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC\n");
            File.WriteAllText(owner + ".tmp", text);
            File.Move(owner + ".tmp", owner, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stream.Dispose();
            throw new NascentException(StoreFaults.Describe(e, owner));
        }
        return new RunLock(stream);
    }

    public void Dispose() => _stream.Dispose();
}
