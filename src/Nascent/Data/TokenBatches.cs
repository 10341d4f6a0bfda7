namespace Nascent.Data;

/// <summary>
/// Token streams laid out as language-model trainers read them (PyTorch's word_language_model, ENAS): the stream is cut
/// into <c>batchSize</c> contiguous pieces, one per column, so each column is a long run of text whose hidden state
/// carries over from one window to the next; the rows are then read in windows of <c>bptt</c> time steps, and the
/// target of each position is the next row's token in the same column.
/// </summary>
public static class TokenBatches
{
    /// <summary>
    /// The stream as an int64 tensor [steps, batchSize]: column j holds tokens j*steps .. (j+1)*steps-1, where
    /// steps = tokens.Length / batchSize; the tokens that would not fill a whole row are dropped (as PyTorch's batchify
    /// does). At least 2 steps are needed, one input row and its target.
    /// </summary>
    public static Tensor Batchify(long[] tokens, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (batchSize < 1)
            throw new NascentException($"Batch size {batchSize} is too small for a token stream: it must be at least 1");
        long steps = tokens.LongLength / batchSize;
        if (steps < 2)
            throw new NascentException(
                $"A stream of {tokens.LongLength} tokens gives {steps} row(s) at batch size {batchSize}; at least 2 are needed (use a smaller batch size or more text)");
        // Row-major [steps, batch]: element (i, j) is token j*steps + i, the transpose done here rather than in torch.
        var laid = new long[steps * batchSize];
        for (long j = 0; j < batchSize; j++)
        {
            long from = j * steps;
            for (long i = 0; i < steps; i++) laid[i * batchSize + j] = tokens[from + i];
        }
        return tensor(laid, [steps, batchSize]);
    }

    /// <summary>
    /// The window starting at row <paramref name="start"/>: input rows [start, start+len) and target rows
    /// [start+1, start+1+len), len = min(bptt, steps-1-start); the last window of a pass is shorter when bptt does not
    /// divide steps-1. Both are [len, batchSize] views of <paramref name="batched"/> (no copy); dispose them when done.
    /// </summary>
    public static (Tensor Input, Tensor Target) Window(Tensor batched, long start, int bptt)
    {
        long steps = Steps(batched);
        if (bptt < 1) throw new ArgumentOutOfRangeException(nameof(bptt), bptt, "A window holds at least one time step.");
        if (start < 0 || start > steps - 2)
            throw new ArgumentOutOfRangeException(nameof(start), start, $"A window of a {steps}-row stream starts at row 0 .. {steps - 2}.");
        long length = Math.Min(bptt, steps - 1 - start);
        return (batched.narrow(0, start, length), batched.narrow(0, start + 1, length));
    }

    /// <summary>Windows in one pass over the stream, starting at rows 0, bptt, 2 bptt, ...: ceil((steps-1)/bptt).</summary>
    public static int WindowCount(Tensor batched, int bptt)
    {
        long steps = Steps(batched);
        if (bptt < 1) throw new ArgumentOutOfRangeException(nameof(bptt), bptt, "A window holds at least one time step.");
        return checked((int)((steps - 1 + bptt - 1) / bptt));
    }

    private static long Steps(Tensor batched)
    {
        ArgumentNullException.ThrowIfNull(batched);
        if (batched.dim() != 2 || batched.shape[0] < 2)
            throw new ArgumentException($"Expected a batchified stream [steps >= 2, batch], not ({string.Join(",", batched.shape)}).", nameof(batched));
        return batched.shape[0];
    }
}
