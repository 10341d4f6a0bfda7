using Nascent.Core;

namespace Nascent.Tests.Core;

public sealed class SeededRandomTests
{
    [Fact]
    public void Exported_state_continues_the_same_stream()
    {
        var a = new SeededRandom(123);
        for (int i = 0; i < 17; i++) a.NextUInt64();
        var b = SeededRandom.FromState(a.ExportState());
        Assert.Equal(Enumerable.Range(0, 50).Select(_ => a.NextUInt64()), Enumerable.Range(0, 50).Select(_ => b.NextUInt64()));
    }

    [Fact]
    public void Next_is_uniform_enough_and_in_range()
    {
        var r = new SeededRandom(5);
        var counts = new int[7];
        for (int i = 0; i < 70000; i++) counts[r.Next(7)]++;
        Assert.All(counts, c => Assert.InRange(c, 9500, 10500));
        Assert.All(Enumerable.Range(0, 1000).Select(_ => r.NextDouble()), d => Assert.InRange(d, 0.0, 0.9999999999));
    }

    [Fact]
    public void Permutation_holds_every_index_once()
    {
        var p = new SeededRandom(9).Permutation(1000);
        Assert.Equal(Enumerable.Range(0, 1000), p.Order());
        Assert.NotEqual(Enumerable.Range(0, 1000), p);
    }
}
