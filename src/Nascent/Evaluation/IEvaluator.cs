using Nascent.Spaces;

namespace Nascent.Evaluation;

/// <summary>Measures what an architecture is worth. A candidate that fails (diverges) throws
/// <see cref="Training.TrainingDivergedException"/>; the runner records a failed trial and goes on.</summary>
public interface IEvaluator
{
    Metrics Evaluate(Architecture architecture, CancellationToken cancellation = default);
}
