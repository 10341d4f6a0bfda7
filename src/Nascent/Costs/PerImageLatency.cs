namespace Nascent.Costs;

/// <summary>
/// Measured latency image by image: each of the first <c>count</c> images of a data set is classified alone (batch 1)
/// <c>repeats</c> times by the caller's whole inference (for InstaNAS: controller, threshold, the selected modules),
/// and its latency is the median of those calls. Ten untimed calls come first (libtorch picks its kernels then),
/// and a full garbage collection, so that earlier garbage is not collected inside a timed call. Unlike
/// <see cref="LatencyMeter"/>, which times one fixed network, this sees every image's own architecture.
/// </summary>
public static class PerImageLatency
{
    public static double[] Measure(Func<Tensor, Tensor> classify, ImageDataset images, int count, int repeats = 3)
    {
        if (count < 1 || repeats < 1) throw new ArgumentOutOfRangeException(nameof(count), "Time at least one image once.");
        count = Math.Min(count, images.Count);
        using var _ = no_grad();
        for (int i = 0; i < 10; i++) Call(classify, images, i % count);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var latencies = new double[count];
        var samples = new double[repeats];
        for (int i = 0; i < count; i++)
        {
            for (int r = 0; r < repeats; r++) samples[r] = Call(classify, images, i);
            latencies[i] = Statistics.Median(samples);
        }
        return latencies;
    }

    private static double Call(Func<Tensor, Tensor> classify, ImageDataset images, int index)
    {
        using var scope = NewDisposeScope();
        var (image, _) = images.Slice(index, 1);
        long start = Stopwatch.GetTimestamp();
        using (var callScope = NewDisposeScope()) classify(image).argmax(1).item<long>(); // the prediction, read as a user would
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
