using Nascent.Core;
using Nascent.Evaluation;
using Nascent.Experiments;
using Nascent.Spaces;
using Nascent.Strategies;
using Nascent.Tests.Data;

namespace Nascent.Tests.Experiments;

public sealed class TrialStoreTests
{
    [Fact]
    public void Trials_round_trip_with_exact_numbers_and_failure_reasons()
    {
        using var temp = new TempFolder();
        string path = Path.Combine(temp.Path, TrialStore.FileName);
        var space = Nb201Space.Instance;
        var a = space.Sample(new SeededRandom(1));
        var b = space.Sample(new SeededRandom(2));
        using (var store = new TrialStore(path))
        {
            int ida = store.Begin(a, "rank");
            store.Finish(new Trial(ida, a, TrialStatus.Done, new Metrics(97.123456789012345, 0.1 + 0.2, 12345, LatencyMs: 1.0 / 3), Seconds: 1.5));
            int idb = store.Begin(b, "rank");
            store.Finish(new Trial(idb, b, TrialStatus.Failed, null, "loss NaN at step 3 (diverged)", 0.25));
            store.Begin(a, "final"); // still running when the process died
        }
        using (var store = new TrialStore(path))
        {
            var trials = store.Load(space);
            Assert.Equal(3, trials.Count);
            Assert.Equal(97.123456789012345, trials[0].Trial.Metrics!.Accuracy); // bit-exact, no formatting loss
            Assert.Equal(0.1 + 0.2, trials[0].Trial.Metrics!.Loss);
            Assert.Equal(1.0 / 3, trials[0].Trial.Metrics!.LatencyMs);
            Assert.Equal(a, trials[0].Trial.Architecture);
            Assert.Equal(TrialStatus.Failed, trials[1].Trial.Status);
            Assert.Equal("loss NaN at step 3 (diverged)", trials[1].Trial.FailureReason);
            Assert.Equal(TrialStatus.Running, trials[2].Trial.Status);
            // A finished trial never changes.
            Assert.Throws<InvalidOperationException>(() => store.Finish(trials[0].Trial));
        }
    }

    [Fact]
    public void A_corrupt_database_gives_a_clear_error_naming_the_file()
    {
        using var temp = new TempFolder();
        string path = Path.Combine(temp.Path, TrialStore.FileName);
        File.WriteAllText(path, "this is not a database, just some text that is long enough to look like a header....");
        var e = Assert.Throws<NascentException>(() => new TrialStore(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("corrupt", e.Message);
    }

    [Fact]
    public void A_store_of_another_format_version_is_refused()
    {
        using var temp = new TempFolder();
        string path = Path.Combine(temp.Path, TrialStore.FileName);
        using (var store = new TrialStore(path)) store.SetMeta("format_version", "99");
        var e = Assert.Throws<NascentException>(() => new TrialStore(path));
        Assert.Contains("format version 99", e.Message);
    }
}
