using System.Diagnostics;

namespace Nascent.Bench;

/// <summary>
/// bench/pytorch_reference.py run under Debian's PyTorch (/usr/bin/python3) as a child process that trains blocks of
/// steps on request, so its blocks interleave with the C# ones. It gets the same glibc malloc thresholds Nascent sets
/// in-process (through GLIBC_TUNABLES) and the same number of intra-op threads.
/// </summary>
internal sealed class PyTorchReference : IDisposable
{
    public const string Python = "/usr/bin/python3";
    private readonly Process _process;

    private PyTorchReference(Process process, string banner)
    {
        _process = process;
        Banner = banner;
    }

    /// <summary>"torch VERSION threads N" as the script reports it.</summary>
    public string Banner { get; }

    /// <summary>Why PyTorch cannot run here, or null when it can.</summary>
    public static string? Unavailable(string script)
    {
        if (!File.Exists(Python)) return $"{Python} not found";
        if (!File.Exists(script)) return $"{script} not found";
        var probe = Process.Start(new ProcessStartInfo(Python, ["-c", "import torch"]) { RedirectStandardError = true })!;
        probe.StandardError.ReadToEnd();
        probe.WaitForExit();
        return probe.ExitCode == 0 ? null : $"`{Python} -c \"import torch\"` fails (install Debian's python3-torch: apt-get install -y python3-torch)";
    }

    /// <param name="microArch">The ENAS micro child's architecture, in Nascent's string form.</param>
    public static PyTorchReference Start(string script, string nb201Arch, string microArch, int batch, int threads, string mnistFolder)
    {
        var info = new ProcessStartInfo(Python,
            [script, "--arch", nb201Arch, "--micro-arch", microArch, "--batch", batch.ToString(), "--threads", threads.ToString(), "--data-dir", mnistFolder])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        // The thresholds src/Nascent/Core/NativeMemoryTuning.cs sets with mallopt.
        info.Environment["GLIBC_TUNABLES"] = "glibc.malloc.mmap_threshold=134217728:glibc.malloc.trim_threshold=536870912";
        var process = Process.Start(info)!;
        string banner = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("pytorch_reference.py exited at start.");
        if (!banner.StartsWith("ready ")) throw new InvalidOperationException($"pytorch_reference.py: {banner}");
        return new PyTorchReference(process, banner["ready ".Length..]);
    }

    /// <summary>Trains <paramref name="steps"/> steps of one of the script's models (cnn, nb201, enas-micro,
    /// instanas-mbv2, instanas-full, lstm-lm); returns the seconds they took.</summary>
    public double Train(string model, int steps)
    {
        _process.StandardInput.WriteLine($"{model} {steps}");
        _process.StandardInput.Flush();
        string line = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("pytorch_reference.py stopped.");
        var parts = line.Split(' ');
        return double.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(10_000)) _process.Kill();
        }
        finally
        {
            _process.Dispose();
        }
    }
}
