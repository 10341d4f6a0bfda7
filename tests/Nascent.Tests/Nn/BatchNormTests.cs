using Nascent.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace Nascent.Tests.Nn;

public sealed class BatchNormTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Our_batch_norm_is_torchsharps_with_the_same_state_names(bool track)
    {
        manual_seed(1);
        using var ours = new BatchNorm(4, track);
        using var theirs = nn.BatchNorm2d(4, track_running_stats: track);
        Assert.Equal(theirs.state_dict().Keys.Order(), ours.state_dict().Keys.Order());
        using (no_grad())
            foreach (var (name, p) in theirs.named_parameters()) p.copy_(randn(p.shape));
        ours.load_state_dict(theirs.state_dict());
        for (int step = 0; step < 3; step++)
        {
            using var x = randn(8, 4, 5, 5) * (step + 1) + step;
            Assert.True(theirs.call(x).allclose(ours.call(x), 1e-5, 1e-5));
        }
        foreach (var (name, value) in theirs.state_dict())
            Assert.True(value.dtype == int64 ? value.equal(ours.state_dict()[name]).item<bool>() : value.allclose(ours.state_dict()[name]), name);
        ours.eval();
        theirs.eval();
        using var y = randn(2, 4, 5, 5);
        Assert.True(theirs.call(y).allclose(ours.call(y), 1e-5, 1e-5));
    }
}
