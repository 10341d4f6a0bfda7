using Nascent.Evaluation;
using Nascent.Spaces;
using Nascent.Tests.Data;

namespace Nascent.Tests.Tabular;

/// <summary>The synthetic NAS-Bench-201-shaped table of <see cref="TableFiles.WriteSynthetic"/>, written and loaded
/// once for a test class.</summary>
public sealed class SyntheticTable : IDisposable
{
    private readonly TempFolder _folder = new();

    public SyntheticTable()
    {
        Path = TableFiles.WriteSynthetic(_folder.Path);
        Benchmark = TabularBenchmark.Load([Path], Nb201Space.Instance, ["score", "test", "cost"]);
    }

    public string Path { get; }
    public TabularBenchmark Benchmark { get; }

    public void Dispose() => _folder.Dispose();
}
