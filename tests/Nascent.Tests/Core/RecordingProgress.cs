using Nascent.Core;

namespace Nascent.Tests;

/// <summary>A synchronous <see cref="IProgress{T}"/> that keeps every event, in order; its text is the messages,
/// one a line.</summary>
public sealed class RecordingProgress : IProgress<ProgressEvent>
{
    private readonly List<ProgressEvent> _events = [];

    public IReadOnlyList<ProgressEvent> Events
    {
        get { lock (_events) return _events.ToList(); }
    }

    public void Report(ProgressEvent value)
    {
        lock (_events) _events.Add(value);
    }

    public IReadOnlyList<T> OfType<T>() where T : ProgressEvent => Events.OfType<T>().ToList();

    public override string ToString() => string.Concat(OfType<ProgressMessage>().Select(m => m.Text + Environment.NewLine));
}
