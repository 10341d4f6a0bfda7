using System.Diagnostics;
using Nascent.Core;
using Nascent.Nn;
using Nascent.Spaces;
using Nascent.Training;
using static TorchSharp.torch;

manual_seed(1);
var rng = new SeededRandom(1);
foreach (SearchSpace space in new SearchSpace[] { Nb201Space.Instance, new EnasMicroSpace() })
foreach (var ch in new[] { 8, 16 })
{
    var opts = new NetworkOptions(1, 10, ch, 1, TrackRunningStats: false);
    using var sup = NetworkFactory.CreateSupernet(space, opts);
    var arch = space.Sample(rng);
    using var solo = NetworkFactory.CreateStandalone(arch, opts);
    solo.LoadPathFrom(sup);
    var x = randn(64, 1, 28, 28); var y = randint(0, 10, 64);
    foreach (var (name, net) in new[] { ("super", sup), ("solo", solo) })
    {
        using var tr = new Trainer(net, new TrainingOptions(), 100);
        for (int i = 0; i < 3; i++) tr.Step(x, y, arch);
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < 20; i++) tr.Step(x, y, arch);
        Console.WriteLine($"{space.Name} C={ch} {name}: {sw.Elapsed.TotalMilliseconds / 20:F1} ms/step, {64 * 20 / sw.Elapsed.TotalSeconds:F0} img/s params {net.ParameterCount()} {arch}");
    }
}
