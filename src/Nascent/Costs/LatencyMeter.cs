namespace Nascent.Costs;

/// <summary>
/// How latency is measured: <see cref="Rounds"/> independent rounds, each a full garbage collection,
/// <see cref="Warmup"/> untimed calls (libtorch picks its kernels and fills its caches on the first calls), and
/// <see cref="Repeats"/> timed samples; a sample is as many calls as take at least <see cref="MinSampleMs"/>
/// together (found once, in the first round), so the stopwatch's resolution and cost stay negligible for operations
/// of a few microseconds. Samples are short on purpose: when other work takes the CPU, a short sample is less often
/// cut by the scheduler, so fewer samples are disturbed and the median holds. The latency is the median of the
/// rounds' medians.
/// </summary>
public sealed record LatencyOptions
{
    [Setting("images per forward pass", Min = 1)]
    public int Batch { get; init; } = 1;
    [Setting("independent measurements; the latency is the median of their medians", Min = 1)]
    public int Rounds { get; init; } = 3;
    [Setting("untimed warm-up calls before each round", Min = 1)]
    public int Warmup { get; init; } = 10;
    [Setting("timed samples per round", Min = 1)]
    public int Repeats { get; init; } = 20;
    [Setting("least time of one timed sample, in milliseconds (short calls are repeated within it)", Min = 0)]
    public double MinSampleMs { get; init; } = 0.2;
    /// <summary>It bounds the cost on a loaded machine, where calls can take 100 times longer.</summary>
    [Setting("when set, a round stops taking samples once this many milliseconds of samples are spent (after at least 3)", Min = 0, MinExclusive = true)]
    public double? BudgetMs { get; init; }

    /// <summary>Few samples for a cost recorded with every candidate of a search (tens of milliseconds per
    /// candidate on the default MNIST network, at most about 0.3 s of samples).</summary>
    public static LatencyOptions Quick { get; } = new() { Rounds = 1, Warmup = 5, Repeats = 15, MinSampleMs = 0.2, BudgetMs = 300 };

    public void Validate() => Settings.Validate(this);
}

/// <summary>A latency: <see cref="MedianMs"/> per call (the median of the rounds' medians), the 10th and 90th
/// percentiles of all samples, <see cref="Spread"/> = (p90 - p10) / median within the samples,
/// <see cref="RoundSpread"/> = (max - min) / median of the round medians (how well independent measurements agree;
/// 0 for one round), and what it was measured with (calls per sample, batch, the libtorch intra-op threads in use).</summary>
public sealed record LatencyMeasurement(double MedianMs, double P10Ms, double P90Ms, IReadOnlyList<double> RoundMediansMs,
    int Samples, int CallsPerSample, int Batch, int Threads)
{
    public double Spread => MedianMs > 0 ? (P90Ms - P10Ms) / MedianMs : double.NaN;

    public double RoundSpread => MedianMs > 0 ? (RoundMediansMs.Max() - RoundMediansMs.Min()) / MedianMs : double.NaN;
}

/// <summary>
/// Wall-clock latency of a forward pass on this machine, in eval mode without gradients, on a fixed input (no
/// random numbers are drawn: measuring changes no generator). Each call runs in its own dispose scope, so freeing
/// its intermediate tensors is part of its time, as it is in real use. A full garbage collection runs first, so a
/// collection of earlier garbage does not land in the timed samples. The thread count is the one in use
/// (<c>torch.get_num_threads()</c>); it is recorded, never changed here.
/// </summary>
public static class LatencyMeter
{
    /// <summary>The latency of <paramref name="network"/> on a batch of images of the given shape; its training
    /// mode is restored afterwards.</summary>
    public static LatencyMeasurement Measure(CellNetwork network, int inputHeight, int inputWidth, LatencyOptions options)
    {
        bool wasTraining = network.training;
        try
        {
            network.eval();
            return Measure(x => network.forward(x), [options.Batch, network.Options.InputChannels, inputHeight, inputWidth], options);
        }
        finally
        {
            network.train(wasTraining);
        }
    }

    /// <summary>The latency of <paramref name="forward"/> on an input of <paramref name="inputShape"/> (batch
    /// first). The caller puts modules in eval mode.</summary>
    public static LatencyMeasurement Measure(Func<Tensor, Tensor> forward, long[] inputShape, LatencyOptions options)
    {
        options.Validate();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var input = FixedInput(inputShape);
        void Call()
        {
            using var callScope = NewDisposeScope();
            forward(input);
        }

        int calls = 0;
        var all = new List<double>();
        var roundMedians = new double[options.Rounds];
        for (int round = 0; round < options.Rounds; round++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            for (int i = 0; i < options.Warmup; i++) Call();
            if (round == 0)
            {
                // Calls per sample: as many as fill MinSampleMs (these calls are warm-up too).
                long start = Stopwatch.GetTimestamp();
                do { Call(); calls++; }
                while (Stopwatch.GetElapsedTime(start).TotalMilliseconds < options.MinSampleMs && calls < 100_000);
            }
            var samples = new List<double>(options.Repeats);
            long roundStart = Stopwatch.GetTimestamp();
            for (int s = 0; s < options.Repeats; s++)
            {
                long t0 = Stopwatch.GetTimestamp();
                for (int c = 0; c < calls; c++) Call();
                samples.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds / calls);
                if (options.BudgetMs is { } budget && s >= 2 && Stopwatch.GetElapsedTime(roundStart).TotalMilliseconds > budget) break;
            }
            roundMedians[round] = Statistics.Median(samples);
            all.AddRange(samples);
        }
        return new LatencyMeasurement(Statistics.Median(roundMedians), Statistics.Quantile(all, 0.1),
            Statistics.Quantile(all, 0.9), roundMedians, all.Count, calls, (int)inputShape[0], get_num_threads());
    }

    /// <summary>A deterministic, non-constant input in [-1, 1] (sin of the element index).</summary>
    private static Tensor FixedInput(long[] shape)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        return arange(count, dtype: ScalarType.Float32).mul_(0.37).sin_().reshape(shape);
    }
}
