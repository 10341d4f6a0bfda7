using Nascent.Costs;
using Nascent.Data;
using static TorchSharp.torch;

namespace Nascent.Tests.Costs;

public sealed class PerImageLatencyTests
{
    /// <summary>Three fake networks on a fake clock: each call records its name and the image it sees and moves the
    /// clock by its own cost (+ a load that grows with time, which interleaving spreads over all three alike).</summary>
    [Fact]
    public void Networks_are_timed_interleaved_A_B_C_on_the_same_image_round_after_round()
    {
        using var images = new ImageDataset("fake", arange(4, dtype: ScalarType.Float32).view(4, 1, 1, 1), zeros(4, ScalarType.Int64), 2, [0f], [1f]);
        double now = 0;
        var calls = new List<(string Name, float Image)>();
        Func<Tensor, Tensor> Fake(string name, double ms) => image =>
        {
            calls.Add((name, image.item<float>()));
            now += ms + calls.Count * 0.001; // the machine slows down over time
            return zeros(1, 2);
        };
        var timings = PerImageLatency.Measure([("A", Fake("A", 1)), ("B", Fake("B", 2)), ("C", Fake("C", 3))], images, count: 3, rounds: 2, () => now);

        var timed = calls.Skip(3 * PerImageLatency.Warmup).ToList();
        Assert.Equal(3 * 3 * 2, timed.Count);
        Assert.Equal(Enumerable.Range(0, 6).SelectMany(_ => new[] { "A", "B", "C" }), timed.Select(c => c.Name));
        Assert.Equal(new float[] { 0, 0, 0, 1, 1, 1, 2, 2, 2, 0, 0, 0, 1, 1, 1, 2, 2, 2 }, timed.Select(c => c.Image));
        Assert.Equal(new[] { "A", "B", "C" }, timings.Select(t => t.Name));
        Assert.All(timings, t => Assert.Equal(3, t.LatenciesMs.Length));
        Assert.All(timings, t => Assert.Equal(2, t.RoundMeansMs.Length));
        // A's first timed call is call 31 of all: 1 ms + 0.031 ms of load; its round means by hand.
        Assert.Equal(1 + (31 + 34 + 37) * 0.001 / 3, timings[0].RoundMeansMs[0], 9);
        Assert.Equal(1 + (40 + 43 + 46) * 0.001 / 3, timings[0].RoundMeansMs[1], 9);
        Assert.Equal(0.009, timings[0].SpreadMs, 9);
        Assert.Equal(2 + 0.001 * (32 + 41) / 2, timings[1].LatenciesMs[0], 9); // image 0: median of its two rounds
        Assert.True(NetworkTiming.Differs(timings[0], timings[1]));
    }

    [Fact]
    public void A_difference_is_called_only_beyond_the_spread_of_the_rounds()
    {
        NetworkTiming Rounds(params double[] means) => new("n", means, means);
        // 1.0-1.2 against 1.3-1.4: every round apart, a difference (either way round).
        Assert.True(NetworkTiming.Differs(Rounds(1.0, 1.2, 1.1), Rounds(1.3, 1.4, 1.35)));
        Assert.True(NetworkTiming.Differs(Rounds(1.3, 1.4, 1.35), Rounds(1.0, 1.2, 1.1)));
        // Means 1.1 and 1.25 differ by 0.15, but one round of the first (1.3) reaches the second's range: noise.
        Assert.False(NetworkTiming.Differs(Rounds(1.0, 1.3, 1.0), Rounds(1.2, 1.3, 1.25)));
        // The session-5 case: the same network timed 6.109 ms in one run and 7.275 ms in another is no difference
        // once both runs' rounds are seen together.
        Assert.False(NetworkTiming.Differs(Rounds(6.109, 7.275), Rounds(6.5, 7.0)));
        // One round: no spread to judge by, so nothing is called a difference.
        Assert.False(NetworkTiming.Differs(Rounds(1.0), Rounds(5.0)));
        Assert.Equal(0.3, Rounds(1.0, 1.3, 1.1).SpreadMs, 12);
    }
}
