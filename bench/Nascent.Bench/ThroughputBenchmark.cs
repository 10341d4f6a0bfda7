using System.Text;
using Nascent.Core;
using Nascent.Data;
using Nascent.Nn;
using Nascent.Spaces;
using Nascent.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Nascent.Bench;

/// <summary>
/// Training throughput on real MNIST (images/s): a standalone NB201 network with `nascent train`'s defaults
/// (C = 16, 1 cell per stage, batch 64, SGD as <see cref="TrainingOptions"/>) through <see cref="Trainer"/>, and the
/// small plain CNN with the same step; beside them, when Debian's PyTorch is installed, the same two networks in
/// PyTorch (bench/pytorch_reference.py). All four run in blocks, interleaved round by round; figures are medians.
/// </summary>
internal static class ThroughputBenchmark
{
    private const int Batch = 64;

    public static string Run(int rounds = 5, int nb201Steps = 20, int cnnSteps = 60)
    {
        string dataDir = DataDirectories.Resolve(null);
        using var data = DatasetLoader.Load(new DataOptions { Dataset = DatasetKind.Mnist, DataDirectory = dataDir }, new ConsoleProgress());
        var arch = Nb201Space.Instance.Parse(StepProfile.ThroughputArchitecture);
        var training = new TrainingOptions { BatchSize = Batch };

        manual_seed(0);
        using var nb201 = NetworkFactory.CreateStandalone(arch, new NetworkOptions(1, 10, 16, 1));
        using var nbTrainer = new Trainer(nb201, training, 10_000);
        var nbSampler = new BatchSampler(data.Train, Batch, 0, dropLast: true);
        void Nb201Block(int steps)
        {
            for (int s = 0; s < steps; s++)
            {
                using var scope = NewDisposeScope();
                var (images, labels) = nbSampler.Next();
                nbTrainer.Step(images, labels, arch);
            }
        }

        using var cnn = new PlainCnn();
        using var cnnStep = new PlainStep(cnn, training);
        var cnnSampler = new BatchSampler(data.Train, Batch, 0, dropLast: true);
        void CnnBlock(int steps)
        {
            for (int s = 0; s < steps; s++)
            {
                using var scope = NewDisposeScope();
                var (images, labels) = cnnSampler.Next();
                cnnStep.Step(images, labels);
            }
        }

        string script = Path.Combine(BenchmarksDocument.RepositoryRoot(), "bench", "pytorch_reference.py");
        string? unavailable = PyTorchReference.Unavailable(script);
        using var python = unavailable is null
            ? PyTorchReference.Start(script, StepProfile.ThroughputArchitecture, Batch, get_num_threads(),
                DataDirectories.DatasetFolder(dataDir, DatasetKind.Mnist))
            : null;

        var blocks = new List<(string Name, int Steps, Func<int, double> Seconds)>
        {
            ("Nascent NB201", nb201Steps, n => Stats.Milliseconds(() => Nb201Block(n)) / 1000),
            ("Nascent plain CNN", cnnSteps, n => Stats.Milliseconds(() => CnnBlock(n)) / 1000),
        };
        if (python is not null)
        {
            blocks.Add(("PyTorch NB201", nb201Steps, n => python.Train("nb201", n)));
            blocks.Add(("PyTorch plain CNN", cnnSteps, n => python.Train("cnn", n)));
        }
        var rates = blocks.ToDictionary(b => b.Name, _ => new List<double>());
        foreach (var b in blocks) b.Seconds(Math.Max(3, b.Steps / 4)); // warm-up
        for (int round = 0; round < rounds; round++)
        {
            // Rotate the starting block each round so no one always runs first.
            for (int k = 0; k < blocks.Count; k++)
            {
                var b = blocks[(k + round) % blocks.Count];
                rates[b.Name].Add(b.Steps * Batch / b.Seconds(b.Steps));
            }
        }

        double Rate(string name) => Stats.Median(rates[name]);
        var md = new StringBuilder();
        md.AppendLine($"Training throughput on MNIST (55,000 training images after the 5,000-image validation carve), batch {Batch}, " +
            $"SGD (lr 0.05, Nesterov momentum 0.9, weight decay 3e-4, clipping at norm 5), loss and correct count read every step. " +
            $"NB201 network: `{StepProfile.ThroughputArchitecture}`, C=16, 1 cell per stage, running-statistics batch norm " +
            $"(`nascent train` defaults). Plain CNN: conv3x3(1->16)-ReLU-maxpool2, conv3x3(16->32)-ReLU-maxpool2, linear(1568->10). " +
            $"{rounds} rounds of blocks ({nb201Steps} NB201 steps, {cnnSteps} CNN steps) interleaved; median images/s.");
        md.AppendLine();
        md.AppendLine("| network | Nascent (TorchSharp) images/s | PyTorch images/s | Nascent / PyTorch |");
        md.AppendLine("|---|---:|---:|---:|");
        foreach (var (label, name) in new[] { ("NB201 (C=16, 1 cell)", "NB201"), ("plain CNN", "plain CNN") })
        {
            double ours = Rate("Nascent " + name);
            string theirs = python is null ? "skipped" : $"{Rate("PyTorch " + name):F0}";
            string ratio = python is null ? "-" : $"{ours / Rate("PyTorch " + name):F2}";
            md.AppendLine($"| {label} | {ours:F0} | {theirs} | {ratio} |");
        }
        md.AppendLine();
        md.AppendLine($"NB201 steps/s: {Rate("Nascent NB201") / Batch:F1}. " + (python is null
            ? $"PyTorch reference skipped: {unavailable}."
            : $"PyTorch: Debian's python3-torch ({python.Banner}), run with the same glibc malloc thresholds (GLIBC_TUNABLES)."));
        return md.ToString();
    }

    /// <summary>The step <see cref="Trainer.Step"/> takes, for a plain module.</summary>
    private sealed class PlainStep : IDisposable
    {
        private readonly nn.Module<Tensor, Tensor> _net;
        private readonly TorchSharp.Modules.Parameter[] _parameters;
        private readonly optim.Optimizer _optimizer;
        private readonly double _clip;

        public PlainStep(nn.Module<Tensor, Tensor> net, TrainingOptions o)
        {
            _net = net;
            _parameters = net.parameters().ToArray();
            _optimizer = optim.SGD(_parameters, o.LearningRate, momentum: o.Momentum, weight_decay: o.WeightDecay, nesterov: true);
            _clip = o.GradientClip;
        }

        public void Step(Tensor images, Tensor labels)
        {
            using var scope = NewDisposeScope();
            _net.train();
            _net.zero_grad();
            var logits = _net.call(images);
            var loss = nn.functional.cross_entropy(logits, labels);
            loss.item<float>();
            loss.backward();
            nn.utils.clip_grad_norm_(_parameters.Where(p => p.grad is not null).ToArray(), _clip);
            _optimizer.step();
            logits.argmax(1).eq(labels).sum().item<long>();
        }

        public void Dispose() => _optimizer.Dispose();
    }

}
