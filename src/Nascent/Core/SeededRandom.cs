namespace Nascent.Core;

/// <summary>
/// A small seeded generator (xoshiro256**) whose whole state can be saved and restored, unlike System.Random.
/// Every random choice in Nascent flows from one of these, so one seed gives one result.
/// </summary>
public sealed class SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public SeededRandom(ulong seed)
    {
        // SplitMix64 spreads one seed over the four state words (never all zero).
        ulong x = seed;
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    private SeededRandom(ulong[] state) => (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform integer in [0, maxExclusive), without modulo bias.</summary>
    public int Next(int maxExclusive)
    {
        if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive));
        ulong bound = (ulong)maxExclusive;
        ulong threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong r = NextUInt64();
            if (r >= threshold) return (int)(r % bound);
        }
    }

    /// <summary>Uniform double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A seed for a derived generator or for torch.manual_seed, drawn from this stream.</summary>
    public long NextSeed() => (long)(NextUInt64() >> 1);

    /// <summary>Fisher-Yates shuffle of the first <paramref name="count"/> integers.</summary>
    public int[] Permutation(int count)
    {
        var p = new int[count];
        for (int i = 0; i < count; i++) p[i] = i;
        for (int i = count - 1; i > 0; i--)
        {
            int j = Next(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }

    public ulong[] ExportState() => [_s0, _s1, _s2, _s3];

    /// <summary>The state as a JSON array of four decimal strings (a JSON number cannot hold 64 bits exactly).</summary>
    public JsonArray ToJson() =>
        new(ExportState().Select(w => (JsonNode)w.ToString(CultureInfo.InvariantCulture)).ToArray());

    public static SeededRandom FromJson(JsonNode state) =>
        FromState(state.AsArray().Select(n => ulong.Parse(n!.GetValue<string>(), CultureInfo.InvariantCulture)).ToArray());

    public static SeededRandom FromState(IReadOnlyList<ulong> state)
    {
        if (state.Count != 4 || state.All(w => w == 0))
            throw new ArgumentException("A generator state is four words, not all zero.", nameof(state));
        return new SeededRandom(state.ToArray());
    }
}
