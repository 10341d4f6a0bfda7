namespace Nascent.Data;

/// <summary>
/// Mini-batches of a data set in a seeded shuffled order, gathered with index_select (or, unshuffled, as narrow views).
/// Each epoch's order is drawn from the seed and the epoch number alone, so a saved <see cref="Position"/> restores the
/// exact data order without replaying earlier epochs. A data set with an <see cref="ImageDataset.Augmentation"/> (a
/// training split) has each batch augmented, with choices drawn from the seed, the epoch and the batch's place alone, so
/// a restored position augments the same way too. The tensors returned belong to the caller's dispose scope: put
/// each step in <c>torch.NewDisposeScope()</c>.
/// </summary>
public sealed class BatchSampler
{
    private int[]? _order;
    private int _orderEpoch = -1;

    /// <param name="dropLast">Skip an epoch's last batch when it is smaller than <paramref name="batchSize"/>.</param>
    /// <param name="shuffle">False hands out the images in file order (for evaluation).</param>
    public BatchSampler(ImageDataset dataset, int batchSize, ulong seed, bool dropLast = false, bool shuffle = true)
    {
        if (batchSize < 1)
            throw new NascentException($"--batch-size must be at least 1 (got {batchSize})");
        if (dataset.Count == 0)
            throw new NascentException($"{dataset.Name} has no images to draw batches from");
        if (dropLast && batchSize > dataset.Count)
            throw new NascentException(
                $"--batch-size {batchSize} is more than the {dataset.Count} images of {dataset.Name}, so dropping the last partial batch leaves none: use at most {dataset.Count}");
        Dataset = dataset;
        BatchSize = batchSize;
        Seed = seed;
        DropLast = dropLast;
        Shuffle = shuffle;
    }

    public ImageDataset Dataset { get; }
    public int BatchSize { get; }
    public ulong Seed { get; }
    public bool DropLast { get; }
    public bool Shuffle { get; }

    public int BatchesPerEpoch => DropLast ? Dataset.Count / BatchSize : (Dataset.Count + BatchSize - 1) / BatchSize;

    /// <summary>Images handed out per epoch (all of them, unless the last partial batch is dropped).</summary>
    public int ImagesPerEpoch => DropLast ? BatchesPerEpoch * BatchSize : Dataset.Count;

    /// <summary>The next batch's place. At the end of an epoch it moves to (Epoch + 1, 0), never (Epoch, end).</summary>
    public SamplerPosition Position { get; private set; }

    /// <summary>Moves to a saved position; the next batch is the one that came next when it was saved.</summary>
    public void Restore(SamplerPosition position)
    {
        if (position.Epoch < 0 || position.Index < 0 || position.Index >= ImagesPerEpoch || position.Index % BatchSize != 0)
            throw new NascentException(
                $"Saved data position (epoch {position.Epoch}, index {position.Index}) does not fit {Dataset.Name} with batch size {BatchSize}: resume with the options the run started with");
        Position = position;
    }

    /// <summary>The next batch, going on into the next epoch when this one is done.</summary>
    public (Tensor Images, Tensor Labels) Next()
    {
        var (epoch, index) = Position;
        int length = Math.Min(BatchSize, ImagesPerEpoch - index);
        var batch = Shuffle
            ? Dataset.Select(CachedOrder(epoch).AsSpan(index, length))
            : Dataset.Slice(index, length);
        Position = index + length >= ImagesPerEpoch ? new SamplerPosition(epoch + 1, 0) : new SamplerPosition(epoch, index + length);
        var augmentation = Dataset.Augmentation;
        if (augmentation.IsNone) return batch;
        var random = new SeededRandom(Mix(EpochSeed(Seed, epoch) ^ Mix((ulong)index + 0x3C6EF372FE94F82AUL)));
        return (augmentation.Apply(batch.Images, Dataset.Mean, Dataset.Std, random), batch.Labels);
    }

    /// <summary>The batches left in the current epoch (all of them from its start); the position then stands at the next epoch.</summary>
    public IEnumerable<(Tensor Images, Tensor Labels)> RestOfEpoch()
    {
        int epoch = Position.Epoch;
        while (Position.Epoch == epoch) yield return Next();
    }

    /// <summary>The order of the data set's indices in an epoch: a permutation drawn from the seed and the epoch number.</summary>
    public int[] OrderOf(int epoch) =>
        Shuffle ? (int[])CachedOrder(epoch).Clone() : Enumerable.Range(0, Dataset.Count).ToArray();

    private int[] CachedOrder(int epoch)
    {
        if (_orderEpoch != epoch)
        {
            _order = new SeededRandom(EpochSeed(Seed, epoch)).Permutation(Dataset.Count);
            _orderEpoch = epoch;
        }
        return _order!;
    }

    // Hash seed and epoch together (SplitMix64 finaliser) so nearby seeds or epochs give unrelated generators.
    private static ulong EpochSeed(ulong seed, int epoch) => Mix(seed ^ Mix((ulong)epoch + 0x632BE59BD9B4E019UL));

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
