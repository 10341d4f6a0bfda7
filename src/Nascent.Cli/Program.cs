namespace Nascent.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        NativeMemoryTuning.Apply(); // process-wide, so the host's: before any tensor
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancellation.Cancel(); };
        return Run(args, Console.Out, Console.Error, cancellation.Token);
    }

    /// <summary>The whole command line as <see cref="Main"/> runs it, writing to <paramref name="output"/> and
    /// <paramref name="errors"/>: a user's mistake (<see cref="NascentException"/>) ends with one line
    /// "nascent: ..." on <paramref name="errors"/> and exit code 2, a cancellation with exit code 130.
    /// Returns the exit code. Process-wide state it may change: libtorch's thread count (latency profile and
    /// instanas search and infer with --threads; latency check to the table's count unless --threads says otherwise).
    /// </summary>
    public static int Run(string[] args, TextWriter output, TextWriter errors, CancellationToken cancellation = default)
    {
        try
        {
            return Commands.Run(args, output, errors, cancellation);
        }
        catch (NascentException e)
        {
            errors.WriteLine($"nascent: {e.Message}");
            return 2;
        }
        catch (OperationCanceledException)
        {
            errors.WriteLine("nascent: interrupted; trials finished so far are in the run's trials.db (continue a search with nascent search --resume RUN_DIR).");
            return 130;
        }
    }
}
