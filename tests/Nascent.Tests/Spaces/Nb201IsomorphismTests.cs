using Nascent.Spaces;

namespace Nascent.Tests.Spaces;

public sealed class Nb201IsomorphismTests
{
    private static IEnumerable<Architecture> AllCells() => Nb201Space.Instance.Enumerate();

    [Fact]
    public void The_function_key_splits_the_15625_cells_into_the_papers_6466_classes() =>
        Assert.Equal(6466, AllCells().Select(Nb201Space.FunctionKey).Distinct().Count());

    [Fact]
    public void Skip_connections_and_the_order_of_a_sum_do_not_change_the_key()
    {
        var space = Nb201Space.Instance;
        // Node 2 sums conv3x3(node 0) and skip(node 1) where node 1 = node 0 by a skip: both terms read the input.
        var a = space.Parse("|skip_connect~0|+|nor_conv_3x3~0|skip_connect~1|+|none~0|none~1|skip_connect~2|");
        var b = space.Parse("|skip_connect~0|+|skip_connect~0|nor_conv_3x3~1|+|none~0|none~1|skip_connect~2|");
        Assert.Equal(Nb201Space.FunctionKey(a), Nb201Space.FunctionKey(b));
        var c = space.Parse("|skip_connect~0|+|nor_conv_1x1~0|skip_connect~1|+|none~0|none~1|skip_connect~2|");
        Assert.NotEqual(Nb201Space.FunctionKey(a), Nb201Space.FunctionKey(c));
    }

    [Nb201Fact]
    public void The_classes_are_the_tables_iso_id_classes()
    {
        var lines = File.ReadLines(Nb201Data.Accuracy).ToArray();
        var header = lines[0].Split(',');
        int arch = Array.IndexOf(header, "arch"), iso = Array.IndexOf(header, "iso_id");
        var space = Nb201Space.Instance;
        var keyToIso = new Dictionary<string, string>();
        var isoToKey = new Dictionary<string, string>();
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            string key = Nb201Space.FunctionKey(space.Parse(cells[arch]));
            Assert.Equal(cells[iso], keyToIso.TryAdd(key, cells[iso]) ? cells[iso] : keyToIso[key]);
            Assert.Equal(key, isoToKey.TryAdd(cells[iso], key) ? key : isoToKey[cells[iso]]);
        }
        Assert.Equal(6466, isoToKey.Count);
    }
}
