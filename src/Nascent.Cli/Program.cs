using Nascent.Core;

namespace Nascent.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        NativeMemoryTuning.Apply(); // process-wide, so the host's: before any tensor
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancellation.Cancel(); };
        try
        {
            return Commands.Run(args, Console.Out, Console.Error, cancellation.Token);
        }
        catch (NascentException e)
        {
            Console.Error.WriteLine($"nascent: {e.Message}");
            return 2;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("nascent: interrupted; trials finished so far are in the run's trials.db (continue a search with nascent search --resume RUN_DIR).");
            return 130;
        }
    }
}
