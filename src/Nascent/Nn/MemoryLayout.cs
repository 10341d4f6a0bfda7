namespace Nascent.Nn;

/// <summary>
/// Channels-last strides for 4-d image tensors [N, C, H, W]. With NCHW tensors of few channels libtorch takes slow
/// generic kernels (im2col convolution, scalar pooling, depthwise backward); with channels-last strides its ops have
/// vectorised kernels and return channels-last again, so one strided copy of a network's input switches the whole
/// network. TorchSharp has no memory_format argument, so the strides are spelled out (a permute-contiguous-permute
/// would leave a one-channel image NCHW). A gather (index_select) may return a contiguous NCHW tensor, so code that
/// gathers images re-lays them out with <see cref="Like"/> (a no-op where the layout already agrees).
/// </summary>
public static class MemoryLayout
{
    /// <summary>A channels-last copy of a 4-d tensor.</summary>
    public static Tensor ToChannelsLast(Tensor input)
    {
        long c = input.shape[1], h = input.shape[2], w = input.shape[3];
        var copy = empty_strided(input.shape, [h * w * c, 1, w * c, c], input.dtype, input.device);
        copy.copy_(input);
        return copy;
    }

    /// <summary>Whether a 4-d tensor of more than one channel has channels-last strides.</summary>
    public static bool IsChannelsLast(Tensor t) =>
        t.dim() == 4 && t.shape[1] > 1 && t.stride(1) == 1 && t.stride(3) == t.shape[1];

    /// <summary><paramref name="t"/> in the layout of <paramref name="reference"/>: a channels-last copy where the
    /// reference is channels-last and <paramref name="t"/> is not, else another handle to <paramref name="t"/>.</summary>
    public static Tensor Like(Tensor t, Tensor reference) =>
        IsChannelsLast(reference) && !IsChannelsLast(t) && t.dim() == 4 ? ToChannelsLast(t) : t.alias();

    /// <summary>Zeros of <paramref name="shape"/> in the layout and type of <paramref name="reference"/>.</summary>
    public static Tensor Zeros(long[] shape, Tensor reference)
    {
        if (!IsChannelsLast(reference) || shape.Length != 4) return zeros(shape, dtype: reference.dtype, device: reference.device);
        long c = shape[1], h = shape[2], w = shape[3];
        return empty_strided(shape, [h * w * c, 1, w * c, c], reference.dtype, reference.device).zero_();
    }
}
