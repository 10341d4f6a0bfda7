namespace Nascent.Evaluation;

/// <summary>Measures what an architecture is worth. A candidate that fails (diverges) throws
/// <see cref="Training.TrainingDivergedException"/>; the runner records a failed trial and goes on.</summary>
public interface IEvaluator
{
    Metrics Evaluate(Architecture architecture, CancellationToken cancellation = default);

    /// <summary>Takes note of a measurement a resumed run reads from its store instead of making again; an evaluator
    /// that counts what it has measured (a table's queries and simulated time) counts it.</summary>
    void Recount(Architecture architecture) { }
}
