using System.Diagnostics;
using System.Globalization;
using System.Text;
using Nascent.Analysis;
using Nascent.Core;
using Nascent.Data;
using Nascent.Nn;
using Nascent.Spaces;
using Nascent.Training;
using static TorchSharp.torch;

namespace Nascent.Bench;

/// <summary>
/// Training throughput of word-level language models in tokens per second (forward, backward, SGD step; truncated
/// BPTT windows of 35 steps): a searched-space cell (enas-rnn, 8 nodes) standalone and as a supernet path, against
/// TorchSharp's built-in LSTM of the same hidden size, same embedding, decoder and batch. Token ids are drawn
/// uniformly from a 10,000-word vocabulary: the cost does not depend on which words they are.
/// </summary>
internal static class RecurrentBenchmark
{
    private const int Vocabulary = 10000, Batch = 32, Bptt = 35, Warmup = 2, Timed = 8;

    public static string Run()
    {
        var md = new StringBuilder();
        md.AppendLine($"Training windows of {Bptt} steps x batch {Batch}, vocabulary {Vocabulary}, tied embedding, default dropouts; " +
            $"median of {Timed} windows after {Warmup}; threads {get_num_threads()}. Cell: ENAS space, 8 nodes, " +
            "the architecture `tanh relu~0 sigmoid~1 identity~1 tanh~2 relu~3 tanh~5 sigmoid~4`.");
        md.AppendLine();
        md.AppendLine("| model | hidden | parameters | ms per window | tokens/s | / LSTM |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|");
        var space = new RecurrentCellSpace(RecurrentCellFamily.Enas);
        var architecture = space.Parse("tanh relu~0 sigmoid~1 identity~1 tanh~2 relu~3 tanh~5 sigmoid~4");
        var random = new SeededRandom(3);
        var tokens = Enumerable.Range(0, Batch * (Bptt * (Warmup + Timed) + 1)).Select(_ => (long)random.Next(Vocabulary)).ToArray();
        using var batched = TokenBatches.Batchify(tokens, Batch);
        foreach (int hidden in new[] { 128, 256 })
        {
            var options = new LanguageModelOptions(Vocabulary, hidden);
            var rows = new List<(string, long, double)>();
            using (var lstm = new LstmLanguageModel(options, new SeededRandom(0)))
                rows.Add(("TorchSharp LSTM (nn.LSTM)", lstm.ParameterCount(), Time(lstm, batched, null)));
            using (var cell = new CellLanguageModel(space, options, new SeededRandom(0), architecture))
                rows.Add(("searched-space cell, standalone", cell.ParameterCount(), Time(cell, batched, null)));
            using (var supernet = new CellLanguageModel(space, options, new SeededRandom(0)))
                rows.Add(("the same cell as a supernet path", supernet.ParameterCount(), Time(supernet, batched, architecture)));
            double lstmMs = rows[0].Item3;
            foreach (var (name, parameters, ms) in rows)
                md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {hidden} | {parameters:N0} | {ms:F1} | {Batch * Bptt / (ms / 1000):F0} | {lstmMs / ms:F2}x |"));
        }
        return md.ToString();
    }

    private static double Time(LanguageModel model, Tensor batched, Architecture? architecture)
    {
        var training = LanguageModelTrainer.DefaultOptions(1, Batch);
        using var trainer = new LanguageModelTrainer(model, training, Warmup + Timed);
        var times = new List<double>();
        for (int w = 0; w < Warmup + Timed; w++)
        {
            using var scope = NewDisposeScope();
            var (input, target) = TokenBatches.Window(batched, (long)w * Bptt, Bptt);
            long start = Stopwatch.GetTimestamp();
            trainer.Step(input, target, architecture);
            if (w >= Warmup) times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return Statistics.Median(times);
    }
}
