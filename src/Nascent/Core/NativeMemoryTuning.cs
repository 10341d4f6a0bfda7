using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nascent.Core;

/// <summary>
/// libtorch allocates and frees large tensor buffers on every step. With glibc's defaults each one is a fresh mmap
/// whose pages are zeroed by the kernel and returned at free; raising the mmap and trim thresholds keeps them in the
/// heap. Measured here: a 3 x 3 convolution step 7x faster, a depthwise 5 x 5 step 40x (docs/BENCHMARKS.md).
/// Runs once when the library loads, before any tensor exists.
/// </summary>
internal static class NativeMemoryTuning
{
    private const int M_TRIM_THRESHOLD = -1;
    private const int M_MMAP_THRESHOLD = -3;

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int MallOpt(int parameter, int value);

    internal static bool Applied { get; private set; }

#pragma warning disable CA2255 // a library initializer is the point: it must run before any tensor, in every host
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Apply()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            Applied = MallOpt(M_MMAP_THRESHOLD, 128 << 20) == 1 & MallOpt(M_TRIM_THRESHOLD, 512 << 20) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (e.g. musl): nothing to tune.
        }
    }
}
