using Nascent.Spaces;
using Nascent.Strategies;

namespace Nascent.Tests.Strategies;

public sealed class RandomSearchTests
{
    [Fact]
    public void Exported_state_gives_the_same_next_asks()
    {
        var space = new EnasMicroSpace();
        var a = new RandomSearch(space, 4, weightSharing: true);
        for (int i = 0; i < 10; i++) { a.Ask(); a.NextTrainingPath(); }
        var b = new RandomSearch(space, 999, weightSharing: true);
        b.ImportState(a.ExportState());
        Assert.Equal(Enumerable.Range(0, 10).Select(_ => a.Ask()), Enumerable.Range(0, 10).Select(_ => b.Ask()));
        Assert.Equal(a.NextTrainingPath(), b.NextTrainingPath());
    }

    [Fact]
    public void It_does_not_ask_an_architecture_twice_while_unseen_ones_remain()
    {
        var space = new EnasMicroSpace(1); // 2 * (2*5)^2 ... small: 10,000 architectures
        var search = new RandomSearch(space, 1, weightSharing: false);
        var asked = Enumerable.Range(0, 500).Select(_ => search.Ask()).ToList();
        Assert.Equal(500, asked.Distinct().Count());
    }
}
