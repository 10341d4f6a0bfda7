namespace Nascent.Costs;

/// <summary>One network's per-image latencies from <see cref="PerImageLatency.Measure"/>: each image's median over the
/// rounds (<see cref="LatenciesMs"/>), and each round's mean over the images (<see cref="RoundMeansMs"/>).</summary>
public sealed record NetworkTiming(string Name, double[] LatenciesMs, double[] RoundMeansMs)
{
    public double MeanMs => Statistics.Mean(LatenciesMs);

    /// <summary>How much the rounds disagree: the largest round mean minus the smallest (0 for one round).</summary>
    public double SpreadMs => RoundMeansMs.Max() - RoundMeansMs.Min();

    /// <summary>Whether two networks' latencies differ beyond the noise of the measurement: the ranges of their round
    /// means do not overlap, so every round puts them in the same order with a gap larger than how far either's
    /// rounds move. With one round there is no spread to judge by, and nothing differs.</summary>
    public static bool Differs(NetworkTiming a, NetworkTiming b) =>
        a.RoundMeansMs.Length > 1 && b.RoundMeansMs.Length > 1
        && (a.RoundMeansMs.Min() > b.RoundMeansMs.Max() || b.RoundMeansMs.Min() > a.RoundMeansMs.Max());
}

/// <summary>
/// Measured latency image by image, of several networks in one phase so that the machine's load cannot decide between
/// them: each of the first <c>count</c> images is classified alone (batch 1) by each network's whole inference (for
/// InstaNAS: controller, threshold, the selected modules), interleaved A, B, C, A, B, C, ... on the same image, and
/// this <c>rounds</c> times over the images. A network's latency of an image is the median of its rounds; its
/// spread is how far its round means move (<see cref="NetworkTiming.SpreadMs"/>), and a difference between two
/// networks counts only beyond it (<see cref="NetworkTiming.Differs"/>). Ten untimed calls of each network come first,
/// interleaved too (libtorch picks its kernels then), and a full garbage collection, so that earlier garbage is not
/// collected inside a timed call. Unlike <see cref="LatencyMeter"/>, which times one fixed network on one input, this
/// sees every image's own architecture.
/// </summary>
public static class PerImageLatency
{
    public const int Warmup = 10;

    /// <param name="clockMs">The clock, in milliseconds (a test's fake one; the stopwatch by default).</param>
    public static IReadOnlyList<NetworkTiming> Measure(IReadOnlyList<(string Name, Func<Tensor, Tensor> Classify)> networks,
        ImageDataset images, int count, int rounds, Func<double>? clockMs = null)
    {
        if (count < 1 || rounds < 1 || networks.Count == 0)
            throw new ArgumentOutOfRangeException(nameof(count), "Time at least one network on one image once.");
        clockMs ??= () => Stopwatch.GetTimestamp() * 1000.0 / Stopwatch.Frequency;
        count = Math.Min(count, images.Count);
        using var _ = no_grad();
        for (int i = 0; i < Warmup; i++)
            foreach (var (_, classify) in networks) Call(classify, images, i % count, clockMs);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var times = new double[networks.Count, rounds, count];
        for (int r = 0; r < rounds; r++)
            for (int i = 0; i < count; i++)
                for (int n = 0; n < networks.Count; n++)
                    times[n, r, i] = Call(networks[n].Classify, images, i, clockMs);
        return Enumerable.Range(0, networks.Count).Select(n => new NetworkTiming(networks[n].Name,
            Enumerable.Range(0, count).Select(i => Statistics.Median(Enumerable.Range(0, rounds).Select(r => times[n, r, i]).ToArray())).ToArray(),
            Enumerable.Range(0, rounds).Select(r => Statistics.Mean(Enumerable.Range(0, count).Select(i => times[n, r, i]).ToArray())).ToArray()))
            .ToArray();
    }

    private static double Call(Func<Tensor, Tensor> classify, ImageDataset images, int index, Func<double> clockMs)
    {
        using var scope = NewDisposeScope();
        var (image, _) = images.Slice(index, 1);
        double start = clockMs();
        using (var callScope = NewDisposeScope()) classify(image).argmax(1).item<long>(); // the prediction, read as a user would
        return clockMs() - start;
    }
}
