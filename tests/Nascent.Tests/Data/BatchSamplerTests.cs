using Nascent.Core;
using Nascent.Data;
using static TorchSharp.torch;

namespace Nascent.Tests.Data;

public sealed class BatchSamplerTests : IDisposable
{
    // 10 images of 1x2x2 whose every pixel is the image's index; label = index % 3.
    private readonly ImageDataset _data = new(
        "toy",
        arange(10, ScalarType.Float32).view(10, 1, 1, 1).expand(10, 1, 2, 2).contiguous(),
        arange(10, ScalarType.Int64).remainder(3),
        classes: 3, mean: [0f], std: [1f]);

    public void Dispose() => _data.Dispose();

    private static int[] Ids(Tensor images) => images.select(1, 0).select(1, 0).select(1, 0).data<float>().Select(x => (int)x).ToArray();

    private static List<int[]> Epoch(BatchSampler sampler)
    {
        var batches = new List<int[]>();
        foreach (var (images, labels) in sampler.RestOfEpoch())
        {
            using var scope = NewDisposeScope();
            var ids = Ids(images);
            Assert.Equal(ids.Select(i => (long)(i % 3)), labels.data<long>().ToArray()); // labels travel with their images
            batches.Add(ids);
            images.Dispose();
            labels.Dispose();
        }
        return batches;
    }

    [Fact]
    public void An_epoch_hands_out_every_image_once_in_batches_of_the_size_with_a_partial_last()
    {
        var sampler = new BatchSampler(_data, batchSize: 4, seed: 5);
        var batches = Epoch(sampler);
        Assert.Equal([4, 4, 2], batches.Select(b => b.Length));
        Assert.Equal(Enumerable.Range(0, 10), batches.SelectMany(b => b).Order());
        Assert.Equal(3, sampler.BatchesPerEpoch);
        Assert.Equal(new SamplerPosition(1, 0), sampler.Position);
    }

    [Fact]
    public void Drop_last_skips_the_partial_batch()
    {
        var sampler = new BatchSampler(_data, batchSize: 4, seed: 5, dropLast: true);
        var batches = Epoch(sampler);
        Assert.Equal([4, 4], batches.Select(b => b.Length));
        Assert.Equal(8, batches.SelectMany(b => b).Distinct().Count());
        Assert.Equal(new SamplerPosition(1, 0), sampler.Position);
    }

    [Fact]
    public void Same_seed_same_order_other_seed_or_epoch_other_order()
    {
        var a = new BatchSampler(_data, 10, seed: 5);
        var b = new BatchSampler(_data, 10, seed: 5);
        var c = new BatchSampler(_data, 10, seed: 6);
        var first = Epoch(a)[0];
        Assert.Equal(first, Epoch(b)[0]);
        Assert.NotEqual(first, Epoch(c)[0]);
        Assert.NotEqual(first, Epoch(a)[0]); // epoch 1 is shuffled afresh
        Assert.NotEqual(Enumerable.Range(0, 10), first);
    }

    [Fact]
    public void Restoring_a_saved_position_continues_the_same_data_order()
    {
        var original = new BatchSampler(_data, 3, seed: 9);
        for (int i = 0; i < 5; i++) original.Next(); // epoch 0 has 4 batches: now in epoch 1
        var saved = original.Position;
        Assert.Equal(new SamplerPosition(1, 3), saved);
        var expected = Enumerable.Range(0, 6).Select(_ => Ids(original.Next().Images)).ToList();

        var resumed = new BatchSampler(_data, 3, seed: 9);
        resumed.Restore(saved);
        var actual = Enumerable.Range(0, 6).Select(_ => Ids(resumed.Next().Images)).ToList();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Unshuffled_sampler_gives_file_order_as_views()
    {
        var sampler = new BatchSampler(_data, 4, seed: 0, shuffle: false);
        Assert.Equal([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]], Epoch(sampler));
    }

    [Fact]
    public void Position_that_does_not_fit_is_refused()
    {
        var sampler = new BatchSampler(_data, 4, seed: 0);
        Assert.Throws<NascentException>(() => sampler.Restore(new SamplerPosition(0, 10)));
        Assert.Throws<NascentException>(() => sampler.Restore(new SamplerPosition(0, 3)));
        Assert.Throws<NascentException>(() => sampler.Restore(new SamplerPosition(-1, 0)));
    }

    [Fact]
    public void Batch_size_must_fit()
    {
        Assert.Equal("--batch-size must be at least 1 (got 0)", Assert.Throws<NascentException>(() => new BatchSampler(_data, 0, 1)).Message);
        var e = Assert.Throws<NascentException>(() => new BatchSampler(_data, 11, 1, dropLast: true));
        Assert.StartsWith("--batch-size 11 is more than the 10 images of toy", e.Message);
    }

    [Fact]
    public void Dataset_tensors_survive_the_scope_they_were_made_in_and_batches_do_not()
    {
        Tensor batch;
        ImageDataset made;
        using (NewDisposeScope())
        {
            made = new ImageDataset("scoped", zeros(4, 1, 2, 2), zeros(4, ScalarType.Int64), 2, [0f], [1f]);
            batch = made.Select([0, 2]).Images;
        }
        Assert.True(batch.IsInvalid);
        Assert.False(made.Images.IsInvalid);
        made.Dispose();
        Assert.Throws<ObjectDisposedException>(() => made.Images);
    }
}
