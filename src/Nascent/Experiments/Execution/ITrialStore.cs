namespace Nascent.Experiments.Execution;

/// <summary>
/// Where a run keeps its trials and its settings: the source of truth a resumed run is rebuilt from. Each trial is
/// written when it starts (running) and when it ends (done, or failed with its reason), each write one transaction;
/// a finished trial never changes. A trial still running when its process died is marked interrupted on resume
/// and run again. Implementations keep their queries to SQL that SQLite and PostgreSQL both run (no rowid,
/// no pragmas in queries, DOUBLE PRECISION for numbers), so a server store can follow (see docs/ARCHITECTURE.md).
/// </summary>
public interface ITrialStore : IDisposable
{
    /// <summary>Where the store is (a file name, or a server's address): named in error messages.</summary>
    string Location { get; }

    /// <summary>Records a trial as running and returns its id (ids grow in the order trials start).</summary>
    int Begin(Architecture architecture, TrialPhase phase);

    /// <summary>Records how a running trial ended (done with metrics, or failed with its reason).</summary>
    void Finish(Trial trial);

    /// <summary>Marks every trial still running as interrupted (its process died); returns how many.</summary>
    int MarkInterrupted();

    /// <summary>Every trial in id order, read back into architectures of <paramref name="space"/>.</summary>
    IReadOnlyList<Trial> Load(SearchSpace space);

    string? GetMeta(string key);

    void SetMeta(string key, string value);
}
