namespace Nascent.Training;

/// <summary>
/// Trains a network, one step at a time, on the path an architecture names (a supernet) or on its own path
/// (a standalone network). Gradients are cleared to none before each step, so operations off the path get no
/// gradient and no update, not even from momentum or weight decay.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly nn.Module _network;
    private readonly CellNetwork? _cells;
    private readonly TrainingOptions _options;
    private readonly optim.Optimizer _optimizer;
    private readonly long _totalSteps;
    private readonly IReadOnlyList<TorchSharp.Modules.Parameter> _parameters;

    public Trainer(CellNetwork network, TrainingOptions options, long totalSteps)
        : this((nn.Module)network, options, totalSteps) => _cells = network;

    /// <summary>A trainer of any network, stepped with a forward of the caller's.</summary>
    public Trainer(nn.Module network, TrainingOptions options, long totalSteps)
    {
        options.Validate();
        _network = network;
        _options = options;
        _totalSteps = Math.Max(1, totalSteps);
        _parameters = network.parameters().ToArray();
        _optimizer = options.Optimizer switch
        {
            OptimizerKind.Adam => optim.Adam(_parameters, options.LearningRate, weight_decay: options.WeightDecay),
            _ => optim.SGD(_parameters, options.LearningRate, momentum: options.Momentum,
                weight_decay: options.WeightDecay, nesterov: options.Nesterov && options.Momentum > 0),
        };
    }

    /// <summary>Steps taken so far (the cosine schedule's position).</summary>
    public long StepsTaken { get; private set; }

    public double CurrentLearningRate => LearningRateAt(StepsTaken);

    private double LearningRateAt(long step)
    {
        if (!_options.Cosine) return _options.LearningRate;
        double progress = Math.Min(1.0, (double)step / _totalSteps);
        return _options.MinLearningRate + 0.5 * (_options.LearningRate - _options.MinLearningRate) * (1 + Math.Cos(Math.PI * progress));
    }

    /// <summary>One optimisation step on a batch along one path; returns the batch's mean loss and number of correct
    /// predictions. Throws <see cref="TrainingDivergedException"/> when the loss is NaN or exceeds the divergence bound.</summary>
    public (double Loss, long Correct) Step(Tensor images, Tensor labels, Architecture architecture) =>
        Step(images, labels, x => Cells.Forward(x, architecture));

    /// <summary>One step with a forward of the caller's (DARTS: the mixed-operation supernet; a language model's
    /// window, which passes <paramref name="countCorrect"/> false: an argmax over the vocabulary per token is work
    /// nobody reads).</summary>
    public (double Loss, long Correct) Step(Tensor images, Tensor labels, Func<Tensor, Tensor> forward, bool countCorrect = true)
    {
        using var scope = NewDisposeScope();
        BeginStep();
        var logits = forward(images);
        var loss = nn.functional.cross_entropy(logits, labels);
        double value = loss.item<float>();
        CheckDivergence(value);
        loss.backward();
        FinishStep();
        long correct = countCorrect ? logits.argmax(1).eq(labels).sum().item<long>() : 0;
        return (value, correct);
    }

    /// <summary>One step on the importance-weighted set of <paramref name="samples"/> (PARSEC), holding one
    /// architecture's graph at a time (<see cref="ImportanceWeightedUpdate"/>). Returns the batch log-likelihoods,
    /// the importance weights and the ω-weighted mean loss.</summary>
    public (double[] LogLikelihoods, double[] Weights, double Loss) StepImportanceWeighted(Tensor images, Tensor labels,
        IReadOnlyList<Architecture> samples, double minimumWeight)
    {
        using var scope = NewDisposeScope();
        BeginStep();
        var result = ImportanceWeightedUpdate.Accumulate(Cells, images, labels, samples, minimumWeight);
        CheckDivergence(result.Loss);
        FinishStep();
        return result;
    }

    private CellNetwork Cells => _cells ?? throw new InvalidOperationException("Steps along an architecture need a cell network.");

    private void BeginStep()
    {
        _network.train();
        foreach (var group in _optimizer.ParamGroups) group.LearningRate = LearningRateAt(StepsTaken);
        _network.zero_grad(); // set to none: unchosen operations must not move
    }

    private void CheckDivergence(double loss)
    {
        if (double.IsNaN(loss) || double.IsInfinity(loss) || loss > _options.DivergenceLoss)
            throw new TrainingDivergedException($"loss {loss} at step {StepsTaken} (diverged)");
    }

    private void FinishStep()
    {
        if (_options.GradientClip > 0)
        {
            var withGrad = _parameters.Where(p => p.grad is not null).ToArray();
            if (withGrad.Length > 0) nn.utils.clip_grad_norm_(withGrad, _options.GradientClip);
        }
        _optimizer.step();
        StepsTaken++;
    }

    /// <summary>Writes the optimizer's state (momentum or Adam moments) for a checkpoint; the schedule's position is
    /// <see cref="StepsTaken"/>.</summary>
    public void SaveOptimizer(string file) => ((TorchSharp.Modules.OptimizerHelper)_optimizer).save_state_dict(file);

    /// <summary>Continues from a checkpoint: the optimizer state <see cref="SaveOptimizer"/> wrote, after
    /// <paramref name="stepsTaken"/> steps.</summary>
    public void Restore(string optimizerFile, long stepsTaken)
    {
        ((TorchSharp.Modules.OptimizerHelper)_optimizer).load_state_dict(optimizerFile);
        StepsTaken = stepsTaken;
    }

    public void Dispose() => _optimizer.Dispose();
}
