namespace Nascent.Data;

/// <summary>The three parts a search works with; disposing it frees all three.</summary>
public sealed record DataSplits(ImageDataset Train, ImageDataset Validation, ImageDataset Test) : IDisposable
{
    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }
}
