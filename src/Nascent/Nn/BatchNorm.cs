namespace Nascent.Nn;

/// <summary>
/// 2-D batch norm, the same function and the same parameter and buffer names as TorchSharp's <c>BatchNorm2d</c>
/// (so state dictionaries stay PyTorch's), except for one thing: it counts batches with a <see cref="Scalar"/> it
/// keeps alive. TorchSharp's batch norm adds 1 to <c>num_batches_tracked</c> through scalars converted implicitly on
/// every call and passed to native code by handle after their last managed use, so the garbage collector may
/// finalize one during the call (open upstream: dotnet/TorchSharp pull requests 1434 and 1496). That killed a
/// 40-minute `nascent compare` in a retraining with "For integral input tensors, argument alpha must not be a
/// floating point number".
/// Without <c>affine</c> it has no weight and bias (PyTorch's <c>affine=False</c>: the search cells of DARTS and
/// NAS-Bench-201 normalise so, and their operations cannot rescale against the architecture weights).
/// </summary>
public sealed class BatchNorm : nn.Module<Tensor, Tensor>
{
    private const double Momentum = 0.1, Epsilon = 1e-5;
    private static readonly Scalar One = 1L; // static: never collected

    private readonly Parameter? weight;
    private readonly Parameter? bias;
    private readonly Tensor? running_mean;
    private readonly Tensor? running_var;
    private readonly Tensor? num_batches_tracked;

    public BatchNorm(int channels, bool trackRunningStats, bool affine = true) : base(nameof(BatchNorm))
    {
        if (affine)
        {
            weight = new Parameter(ones(channels));
            bias = new Parameter(zeros(channels));
        }
        if (trackRunningStats)
        {
            running_mean = zeros(channels);
            running_var = ones(channels);
            num_batches_tracked = zeros(1, dtype: int64).squeeze();
        }
        RegisterComponents();
    }

    // For the ONNX exporter (Export/Onnx): the affine parameters and the running statistics (null without them), epsilon.
    internal Tensor? Weight => weight;
    internal Tensor? Bias => bias;
    internal Tensor? RunningMean => running_mean;
    internal Tensor? RunningVar => running_var;
    internal static double Eps => Epsilon;

    private int _averagedBatches = -1; // >= 0 while re-estimating: batches averaged so far

    public override Tensor forward(Tensor input)
    {
        if (training && num_batches_tracked is not null)
            using (no_grad()) num_batches_tracked.add_(One, One);
        // Re-estimating: the running statistics become the plain average of the batches seen since the reset
        // (PyTorch's momentum = None), so a few batches give exact statistics.
        double momentum = training && _averagedBatches >= 0 ? 1.0 / ++_averagedBatches : Momentum;
        return nn.functional.batch_norm(input, running_mean, running_var, weight, bias,
            training || running_mean is null, momentum, Epsilon);
    }

    /// <summary>Forgets the running statistics, so that the next batches in training mode set them to their plain
    /// average (until <see cref="EndReestimation"/>): batch-norm recalibration of a one-shot network under the
    /// selections it will serve.</summary>
    public void BeginReestimation()
    {
        if (running_mean is null) return;
        using var _ = no_grad();
        running_mean.zero_();
        running_var!.fill_(1);
        num_batches_tracked!.zero_();
        _averagedBatches = 0;
    }

    /// <summary>Back to the exponential moving average (momentum 0.1) of training.</summary>
    public void EndReestimation() => _averagedBatches = -1;
}
