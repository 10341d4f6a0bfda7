namespace Nascent.Bench;

/// <summary>Disposes what it was given, last first: the networks, trainers and tensors a benchmark builds up front.</summary>
internal sealed class CompositeDisposable : IDisposable
{
    private readonly List<IDisposable> _items = [];

    public T Add<T>(T item) where T : IDisposable
    {
        _items.Add(item);
        return item;
    }

    public void Dispose()
    {
        for (int i = _items.Count - 1; i >= 0; i--) _items[i].Dispose();
        _items.Clear();
    }
}
