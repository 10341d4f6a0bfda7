using static TorchSharp.torch;

namespace Nascent.Core;

/// <summary>
/// Limits libtorch's intra-op threads for a stretch of work. Tiny networks (a controller's LSTM) run fastest on one
/// thread; with two, every small op pays for waking and joining the other (measured: docs/BENCHMARKS.md).
/// </summary>
public sealed class TorchThreads : IDisposable
{
    private readonly int _previous;

    private TorchThreads(int threads)
    {
        _previous = get_num_threads();
        if (threads != _previous) set_num_threads(threads);
    }

    public static TorchThreads Limit(int threads) => new(threads);

    public void Dispose()
    {
        if (get_num_threads() != _previous) set_num_threads(_previous);
    }
}
