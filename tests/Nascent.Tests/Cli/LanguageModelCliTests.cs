using System.Text.Json;
using Nascent.Data;

namespace Nascent.Tests.Cli;

public sealed class LanguageModelCliTests
{
    [Theory]
    [InlineData("Penn Treebank not found: ptb.train.txt, ptb.valid.txt, ptb.test.txt missing from", "search", "--space", "enas-rnn", "--data-dir", "/nonexistent/data")]
    [InlineData("Strategy darts is not defined on the enas-rnn space here; it runs on nb201", "search", "--space", "enas-rnn", "--strategy", "darts", "--text", "/nonexistent.txt")]
    [InlineData("--dataset text needs --text FILE", "search", "--space", "nao-rnn", "--dataset", "text")]
    [InlineData("use --dataset ptb or --dataset text", "search", "--space", "enas-rnn", "--dataset", "mnist")]
    [InlineData("--model lstm trains the LSTM baseline with nascent train", "search", "--space", "enas-rnn", "--model", "lstm", "--text", "/nonexistent.txt")]
    [InlineData("Cannot parse enas-rnn architecture 'tanh': 1 nodes", "train", "--space", "enas-rnn", "--arch", "tanh")]
    [InlineData("nascent compare retrains image networks", "compare", "--strategies", "enas,rsws", "--space", "enas-rnn")]
    [InlineData("--model lstm trains the LSTM baseline, which has no architecture", "train", "--model", "lstm", "--arch", "x")]
    public void A_users_mistake_gives_one_clear_line_and_exit_code_2(string expected, params string[] args) =>
        NascentCli.AssertOneLineError(expected, args);

    /// <summary>An ENAS search of a small recurrent cell on a text file the test writes, then nascent train of the cell
    /// it found and of the LSTM baseline, through the command line; then NAO training every candidate from scratch.
    /// The text has structure a model can learn (sentences of one pattern, "the NOUN VERB on a [ADJ] NOUN"), so every
    /// perplexity must beat the uniform model's, the vocabulary size, by a clear margin.</summary>
    [Fact]
    public void Enas_and_nao_search_a_text_file_and_train_reports_perplexities()
    {
        string dir = Path.Combine(Path.GetTempPath(), "nascent-lm-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var random = new Random(3);
            string[] nouns = ["cat", "dog", "mat", "rug", "box"], verbs = ["sat", "ran", "was"], adjectives = ["red", "big"];
            string Pick(string[] words) => words[random.Next(words.Length)];
            string text = Path.Combine(dir, "corpus.txt");
            File.WriteAllLines(text, Enumerable.Range(0, 400).Select(_ =>
                $"the {Pick(nouns)} {Pick(verbs)} on a {(random.Next(2) == 0 ? Pick(adjectives) + " " : "")}{Pick(nouns)}"));
            // 13 words, <eos> and <unk>. A model that knew the pattern would reach about 2; one epoch of training reaches
            // 2.1-2.5 from scratch (bound: a third of uniform), but only 12-13 on the search's shared weights (1-3
            // epochs, with or without dropout, measured alike), so that bound is 0.95 of uniform.
            double uniform = TextCorpus.LoadText(text).Vocabulary.Count;
            Assert.Equal(15, uniform);
            string[] small = ["--text", text, "--nodes", "3", "--hidden", "16", "--epochs", "1", "--batch-size", "4", "--bptt", "8", "--quiet"];

            string enasRun = Path.Combine(dir, "enas");
            var (code, output, errors) = NascentCli.Run(["search", "--space", "enas-rnn", "--strategy", "enas", "--candidates", "4",
                "--final-top", "2", "--controller-steps", "2", "--controller-samples", "2", "--ranking-windows", "3", .. small, "--out", enasRun]);
            Assert.True(code == 0, errors);
            Assert.Contains("validation perplexity:", output);
            using (var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(enasRun, "result.json"))))
            {
                var best = result.RootElement.GetProperty("best");
                double perplexity = best.GetProperty("costs").GetProperty("validation_perplexity").GetDouble();
                Assert.InRange(perplexity, 1, 0.95 * uniform);
                Assert.Equal(100 * 80 / perplexity, best.GetProperty("val_acc").GetDouble(), 6);
                Assert.Equal("text", result.RootElement.GetProperty("dataset").GetString());
            }

            string train = Path.Combine(dir, "train");
            var (trainCode, trainOutput, trainErrors) = NascentCli.Run("train", "--from", enasRun, "--hidden", "16", "--epochs", "1",
                "--batch-size", "4", "--bptt", "8", "--quiet", "--out", train);
            Assert.True(trainCode == 0, trainErrors);
            Assert.Contains("test perplexity:", trainOutput);
            Assert.Contains("tokens/s", trainOutput);
            Assert.True(File.Exists(Path.Combine(train, "language_model.safetensors")));
            AssertLearned(train, uniform, "validation_perplexity", "test_perplexity");
            NascentCli.AssertOneLineError("holds a language model", "export", train, "--format", "onnx");
            var (reportCode, reportOutput, reportErrors) = NascentCli.Run("report", enasRun);
            NascentCli.AssertOneLineError("is a language-model run", reportCode, reportOutput, reportErrors);

            string lstm = Path.Combine(dir, "lstm");
            var (lstmCode, lstmOutput, lstmErrors) = NascentCli.Run("train", "--model", "lstm", "--text", text, "--hidden", "16",
                "--epochs", "1", "--batch-size", "4", "--bptt", "8", "--quiet", "--out", lstm);
            Assert.True(lstmCode == 0, lstmErrors);
            Assert.Contains("model: lstm", lstmOutput);
            AssertLearned(lstm, uniform, "validation_perplexity", "test_perplexity");
            NascentCli.AssertOneLineError("holds a language model (lstm)", "export", lstm, "--format", "onnx");

            string nao = Path.Combine(dir, "nao");
            var (naoCode, naoOutput, naoErrors) = NascentCli.Run(["search", "--space", "nao-rnn", "--strategy", "nao", "--candidates", "3",
                "--nao-seed", "2", "--nao-new", "1", "--nao-epochs", "5", .. small, "--out", nao]);
            Assert.True(naoCode == 0, naoErrors);
            Assert.Contains("trained 1 epoch(s) from scratch", naoOutput);
            AssertLearned(nao, uniform, "validation_perplexity");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The run's best perplexities are below a third of the uniform model's.</summary>
    private static void AssertLearned(string run, double uniform, params string[] costs)
    {
        using var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "result.json")));
        foreach (var cost in costs)
            Assert.InRange(result.RootElement.GetProperty("best").GetProperty("costs").GetProperty(cost).GetDouble(), 1, uniform / 3);
    }
}
