namespace Nascent.Training;

/// <summary>
/// Trains a <see cref="LanguageModel"/> window by window with truncated backpropagation through time: the hidden
/// state is carried from one window to the next, detached, so gradients stop at the window's start (as ENAS and
/// PyTorch's word_language_model do). Each window may run a different architecture of a supernet (ENAS carries the
/// state across sampled cells too). The optimisation step is <see cref="Trainer"/>'s (SGD, schedule, clipping).
/// </summary>
public sealed class LanguageModelTrainer : IDisposable
{
    private readonly LanguageModel _model;
    private readonly Trainer _trainer;
    private Tensor? _hidden;

    public LanguageModelTrainer(LanguageModel model, TrainingOptions options, long totalSteps)
    {
        _model = model;
        _trainer = new Trainer(model, options, totalSteps);
    }

    public Trainer Trainer => _trainer;

    /// <summary>Training defaults for word-level language models: plain SGD at 20 with the gradient's norm clipped at
    /// 0.25 (ENAS's and NAO's PTB settings, and PyTorch's word_language_model), cosine decay.</summary>
    public static TrainingOptions DefaultOptions(int epochs, int batchSize) => new()
    {
        Epochs = epochs, BatchSize = batchSize, LearningRate = 20, Momentum = 0, Nesterov = false,
        WeightDecay = 5e-7, GradientClip = 0.25, Cosine = true,
    };

    /// <summary>One step on one window: input and target [T, B]; returns the window's mean token cross-entropy.</summary>
    public double Step(Tensor input, Tensor target, Architecture? architecture)
    {
        var hidden = _hidden ?? _model.InitialHidden(input.shape[1]).DetachFromDisposeScope();
        Tensor? next = null;
        var (loss, _) = _trainer.Step(input, target.reshape(-1), x =>
        {
            var (logits, last) = _model.Forward(x, hidden, architecture);
            next = last.detach().DetachFromDisposeScope();
            return logits;
        }, countCorrect: false);
        hidden.Dispose();
        _hidden = next;
        return loss;
    }

    /// <summary>Starts the next window from zeros (a new pass over the data).</summary>
    public void ResetHidden()
    {
        _hidden?.Dispose();
        _hidden = null;
    }

    /// <summary>One pass over a batched stream ([steps, B], <see cref="TokenBatches"/>), the hidden state reset at its
    /// start; <paramref name="nextPath"/> names each window's architecture (null for a standalone model). Returns the
    /// mean training cross-entropy of the pass.</summary>
    public double TrainEpoch(Tensor batched, int bptt, Func<Architecture?> nextPath, ProgressReporter? bar = null,
        CancellationToken cancellation = default)
    {
        ResetHidden();
        int windows = TokenBatches.WindowCount(batched, bptt);
        double total = 0, smoothed = double.NaN;
        for (int w = 0; w < windows; w++)
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var (input, target) = TokenBatches.Window(batched, (long)w * bptt, bptt);
            double loss = Step(input, target, nextPath());
            total += loss;
            smoothed = double.IsNaN(smoothed) ? loss : 0.95 * smoothed + 0.05 * loss;
            bar?.SetStatus($"ppl {Math.Exp(smoothed):F1}");
            bar?.Advance();
        }
        return total / windows;
    }

    public void Dispose()
    {
        ResetHidden();
        _trainer.Dispose();
    }
}

/// <summary>Perplexity: exp of the mean cross-entropy per token.</summary>
public static class Perplexity
{
    public static double FromLoss(double meanCrossEntropy) => Math.Exp(meanCrossEntropy);

    /// <summary>Perplexity of a model on windows [<paramref name="firstWindow"/>, + <paramref name="windows"/>) of a
    /// batched stream (to the end when null), in eval mode without gradients, the hidden state starting at zero and
    /// carried from window to window. Every token counts once, whatever the window's length.</summary>
    public static (double Perplexity, double Loss, long Tokens) Measure(LanguageModel model, Architecture? architecture,
        Tensor batched, int bptt, int firstWindow = 0, int? windows = null)
    {
        int available = TokenBatches.WindowCount(batched, bptt);
        if (firstWindow < 0 || firstWindow >= available)
            throw new ArgumentOutOfRangeException(nameof(firstWindow), firstWindow, $"the stream has {available} windows");
        int last = Math.Min(available, firstWindow + (windows ?? available));
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            var hidden = model.InitialHidden(batched.shape[1]);
            double sum = 0;
            long tokens = 0;
            for (int w = firstWindow; w < last; w++)
            {
                var (input, target) = TokenBatches.Window(batched, (long)w * bptt, bptt);
                var (logits, next) = model.Forward(input, hidden, architecture);
                sum += nn.functional.cross_entropy(logits, target.reshape(-1), reduction: nn.Reduction.Sum).item<float>();
                tokens += target.numel();
                hidden = next;
            }
            double loss = sum / tokens;
            return (FromLoss(loss), loss, tokens);
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
