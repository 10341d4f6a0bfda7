using System.Runtime.InteropServices;

namespace Nascent.Core;

/// <summary>
/// libtorch allocates and frees large tensor buffers on every step. With glibc's defaults each one is a fresh mmap
/// whose pages are zeroed by the kernel and returned at free; raising the mmap and trim thresholds keeps them in the
/// heap. Measured here: a 3 x 3 convolution step 7x faster, a depthwise 5 x 5 step 40x (docs/BENCHMARKS.md).
/// Process-wide, so it belongs to the host: the `nascent` command and the benchmarks call <see cref="Apply"/> first
/// thing; a program using the library should too, before its first tensor.
/// </summary>
public static class NativeMemoryTuning
{
    private const int M_TRIM_THRESHOLD = -1;
    private const int M_MMAP_THRESHOLD = -3;

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int MallOpt(int parameter, int value);

    public static bool Applied { get; private set; }

    /// <summary>Raises glibc's mmap and trim thresholds (128 MB, 512 MB); a no-op off glibc. Call it before any tensor.</summary>
    public static void Apply()
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
