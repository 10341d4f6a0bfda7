using static TorchSharp.torch;

namespace Nascent.Bench;

/// <summary>What a figure was measured on: date, cores, CPU model, torch threads, load at start.</summary>
internal sealed record MachineInfo(string Date, int Cores, string CpuModel, int TorchThreads, int InteropThreads,
    string LoadAverage, bool MallocTuned)
{
    public static MachineInfo Capture() => new(
        DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'"),
        Environment.ProcessorCount,
        ReadCpuModel(),
        get_num_threads(),
        get_num_interop_threads(),
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a",
        // Touching a Nascent type runs its module initializer; Applied says whether mallopt accepted the thresholds.
        Nascent.Core.NativeMemoryTuning.Applied);

    private static string ReadCpuModel()
    {
        if (!File.Exists("/proc/cpuinfo")) return "unknown CPU";
        var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"));
        return line is null ? "unknown CPU" : line[(line.IndexOf(':') + 1)..].Trim();
    }

    public string Describe() =>
        $"{Date}; nproc {Cores}, CPU \"{CpuModel}\"; torch intra-op threads {TorchThreads}, inter-op {InteropThreads}; " +
        $"TorchSharp 0.107.0 (libtorch 2.10 CPU); glibc malloc thresholds raised: {(MallocTuned ? "yes" : "NO")}; " +
        $"load average at start {LoadAverage}";
}
