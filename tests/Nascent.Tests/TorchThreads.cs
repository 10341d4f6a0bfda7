using System.Runtime.CompilerServices;
using TorchSharp;

namespace Nascent.Tests;

/// <summary>
/// The test host runs libtorch with one intra-op thread, set when this assembly loads, before any test. The tests'
/// networks are tiny (a few channels, hidden sizes of 16, controllers of a few thousand weights), and for them a
/// second thread costs more in synchronisation than it gives: on the 2-core development machine the 279 tests of
/// the training, search and CLI classes took 1 min 36 s with one thread against 1 min 59 s with libtorch's default
/// two, NAO's search test 1.3 s a seed against 2.4 s, a language-model test 0.9 s against 5 s, with the same
/// results; and a second thread waiting for a core that other work holds makes run times erratic. Child processes
/// (<see cref="Cli.CliProcess"/>) get the same count through OMP_NUM_THREADS, so their results compare with those
/// computed in process. Tests that set a count of their own (latency, --threads) put this one back.
/// </summary>
internal static class TorchThreads
{
    public const int Count = 1;

#pragma warning disable CA2255 // an initializer is the point: the count must be set before any test touches libtorch
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Apply() => torch.set_num_threads(Count);
}
