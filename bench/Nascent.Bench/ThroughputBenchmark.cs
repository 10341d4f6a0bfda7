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
/// Training throughput of every network family on this machine, beside PyTorch (bench/pytorch_reference.py under
/// Debian's python3-torch, same shapes, batch, threads and glibc malloc thresholds): a standalone NB201 network with
/// `nascent train`'s defaults (C = 16, 1 cell per stage, batch 64, SGD as <see cref="TrainingOptions"/>) and the small
/// plain CNN on real MNIST; a standalone ENAS micro child (5 nodes, C = 16, 1 cell per stage; the first sample of seed
/// 1); the InstaNAS meta-graph (default stages) under its MobileNetV2-like selection and with every module on; and the
/// LSTM language model (hidden 128, vocabulary 10,000, windows of 35 x 32 random tokens, LanguageModelTrainer's SGD).
/// Every family trains in blocks, all blocks interleaved round by round with the starting block rotated; figures are
/// medians over rounds with their range.
/// </summary>
internal static class ThroughputBenchmark
{
    private const int Batch = 64, LanguageBatch = 32, Bptt = 35, Vocabulary = 10_000;

    /// <summary>One family: its row label, the PyTorch reference's model name, steps per block, what a step
    /// processes (images or tokens) and the Nascent step.</summary>
    private sealed record Family(string Label, string Model, int Steps, int UnitsPerStep, string Unit, Action Step);

    public static string Run(int rounds = 5)
    {
        string dataDir = DataDirectories.Resolve(null);
        using var data = DatasetLoader.Load(new DataOptions { Dataset = DatasetKind.Mnist, DataDirectory = dataDir }, new ConsoleProgress());
        var training = new TrainingOptions { BatchSize = Batch };
        using var disposables = new CompositeDisposable();
        manual_seed(0);

        Action CellNetworkStep(Architecture arch, NetworkOptions options)
        {
            var network = disposables.Add(NetworkFactory.CreateStandalone(arch, options));
            var trainer = disposables.Add(new Trainer(network, training, 10_000));
            var sampler = new BatchSampler(data.Train, Batch, 0, dropLast: true);
            return () =>
            {
                using var scope = NewDisposeScope();
                var (images, labels) = sampler.Next();
                trainer.Step(images, labels, arch);
            };
        }

        Action MetaGraphStep(Func<InstaNasNetwork, bool[,]> selection)
        {
            var network = disposables.Add(new InstaNasNetwork(new MetaGraphOptions(1, 10, MetaGraphOptions.DefaultStemChannels, MetaGraphOptions.DefaultStages)));
            var matrix = selection(network);
            var trainer = disposables.Add(new Trainer(network, training, 10_000));
            var sampler = new BatchSampler(data.Train, Batch, 0, dropLast: true);
            return () =>
            {
                using var scope = NewDisposeScope();
                var (images, labels) = sampler.Next();
                trainer.Step(images, labels, x => network.Forward(x, matrix));
            };
        }

        var nb201Arch = Nb201Space.Instance.Parse(StepProfile.ThroughputArchitecture);
        var microSpace = new EnasMicroSpace();
        var microArch = microSpace.Sample(new SeededRandom(1));
        var cnn = disposables.Add(new PlainCnn());
        var cnnStep = disposables.Add(new PlainStep(cnn, training));
        var cnnSampler = new BatchSampler(data.Train, Batch, 0, dropLast: true);
        var lm = disposables.Add(new LstmLanguageModel(new LanguageModelOptions(Vocabulary, 128), new SeededRandom(0)));
        var lmTrainer = disposables.Add(new LanguageModelTrainer(lm, LanguageModelTrainer.DefaultOptions(1, LanguageBatch), 10_000));
        var random = new SeededRandom(3);
        var tokens = disposables.Add(TokenBatches.Batchify(
            Enumerable.Range(0, LanguageBatch * (Bptt * 64 + 1)).Select(_ => (long)random.Next(Vocabulary)).ToArray(), LanguageBatch));
        int window = 0;
        var families = new Family[]
        {
            new("NB201 (C=16, 1 cell)", "nb201", 20, Batch, "images", CellNetworkStep(nb201Arch, new NetworkOptions(1, 10, 16, 1))),
            new("plain CNN", "cnn", 60, Batch, "images", () =>
            {
                using var scope = NewDisposeScope();
                var (images, labels) = cnnSampler.Next();
                cnnStep.Step(images, labels);
            }),
            new("ENAS micro child (5 nodes, C=16, 1 cell)", "enas-micro", 8, Batch, "images", CellNetworkStep(microArch, new NetworkOptions(1, 10, 16, 1))),
            new("InstaNAS MobileNetV2-like selection", "instanas-mbv2", 20, Batch, "images", MetaGraphStep(n => n.ToMatrix(n.Space.MobileNetV2))),
            new("InstaNAS full meta-graph", "instanas-full", 6, Batch, "images", MetaGraphStep(n => n.ToMatrix(n.Space.Full))),
            new("LSTM language model (hidden 128)", "lstm-lm", 10, LanguageBatch * Bptt, "tokens", () =>
            {
                using var scope = NewDisposeScope();
                var (input, target) = TokenBatches.Window(tokens, (long)(window++ % TokenBatches.WindowCount(tokens, Bptt)) * Bptt, Bptt);
                lmTrainer.Step(input, target, null);
            }),
        };

        string script = Path.Combine(BenchmarksDocument.RepositoryRoot(), "bench", "pytorch_reference.py");
        string? unavailable = PyTorchReference.Unavailable(script);
        using var python = unavailable is null
            ? PyTorchReference.Start(script, StepProfile.ThroughputArchitecture, microSpace.Format(microArch), Batch, get_num_threads(),
                DataDirectories.DatasetFolder(dataDir, DatasetKind.Mnist))
            : null;

        var blocks = new List<(string Name, int Steps, int Units, Func<int, double> Seconds)>();
        foreach (var f in families)
        {
            blocks.Add(("Nascent " + f.Model, f.Steps, f.UnitsPerStep, n => Stats.Milliseconds(() => { for (int i = 0; i < n; i++) f.Step(); }) / 1000));
            if (python is not null) blocks.Add(("PyTorch " + f.Model, f.Steps, f.UnitsPerStep, n => python.Train(f.Model, n)));
        }
        var rates = blocks.ToDictionary(b => b.Name, _ => new List<double>());
        foreach (var b in blocks) b.Seconds(Math.Max(3, b.Steps / 4)); // warm-up
        for (int round = 0; round < rounds; round++)
            for (int k = 0; k < blocks.Count; k++) // the starting block rotates, so no one always runs first
            {
                var b = blocks[(k + round) % blocks.Count];
                rates[b.Name].Add(b.Steps * b.Units / b.Seconds(b.Steps));
            }

        string Rate(string name) => $"{Stats.Median(rates[name]):F0} ({rates[name].Min():F0}-{rates[name].Max():F0})";
        var md = new StringBuilder();
        md.AppendLine($"Training throughput, one step = forward, backward, clipping, optimizer step, loss read (and, for images, the " +
            $"correct count). Images: real MNIST (55,000 training images), batch {Batch}, SGD (lr 0.05, Nesterov momentum 0.9, " +
            $"weight decay 3e-4, clipping at norm 5), running-statistics batch norm. NB201 network: `{StepProfile.ThroughputArchitecture}`. " +
            $"Plain CNN: conv3x3(1->16)-ReLU-maxpool2, conv3x3(16->32)-ReLU-maxpool2, linear(1568->10). ENAS micro child: " +
            $"`{microSpace.Format(microArch)}`. InstaNAS: stages {MetaGraphOptions.DefaultStages}, stem {MetaGraphOptions.DefaultStemChannels}. " +
            $"Language model: windows of {Bptt} x {LanguageBatch} tokens, vocabulary {Vocabulary}, tied decoder, dropouts 0.2/0.3, " +
            $"SGD at 20, clipping at 0.25. {rounds} rounds of interleaved blocks; median images (tokens) per second and the range over rounds.");
        md.AppendLine();
        md.AppendLine("| network | unit | Nascent (TorchSharp) per s | PyTorch per s | Nascent / PyTorch |");
        md.AppendLine("|---|---|---:|---:|---:|");
        foreach (var f in families)
        {
            double ours = Stats.Median(rates["Nascent " + f.Model]);
            string theirs = python is null ? "skipped" : Rate("PyTorch " + f.Model);
            string ratio = python is null ? "-" : $"{ours / Stats.Median(rates["PyTorch " + f.Model]):F2}";
            md.AppendLine($"| {f.Label} | {f.Unit} | {Rate("Nascent " + f.Model)} | {theirs} | {ratio} |");
        }
        md.AppendLine();
        md.AppendLine($"NB201 steps/s: {Stats.Median(rates["Nascent nb201"]) / Batch:F1}; the ENAS micro child's step takes " +
            $"{Stats.Median(rates["Nascent nb201"]) / Stats.Median(rates["Nascent enas-micro"]):F2}x NB201's at the same width and batch. " + (python is null
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
