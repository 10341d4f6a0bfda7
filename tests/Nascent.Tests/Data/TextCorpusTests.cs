using Nascent.Core;
using Nascent.Data;
using static TorchSharp.torch;

namespace Nascent.Tests.Data;

public sealed class TextVocabularyTests
{
    [Fact]
    public void Ids_follow_the_given_order_and_absent_words_map_to_unknown()
    {
        var vocabulary = new Vocabulary(["the", Vocabulary.Unknown, "cat", Vocabulary.EndOfSentence]);

        Assert.Equal(4, vocabulary.Count);
        Assert.Equal((0, 2, 1, 3), (vocabulary["the"], vocabulary["cat"], vocabulary.UnknownId, vocabulary.EndOfSentenceId));
        Assert.Equal(1, vocabulary["dog"]);
        Assert.False(vocabulary.Contains("dog"));
        Assert.True(vocabulary.Contains("cat"));
        Assert.Equal("cat", vocabulary.Word(2));
        Assert.Equal(["the", "<unk>", "cat", "<eos>"], vocabulary.Words);
        Assert.Throws<ArgumentOutOfRangeException>(() => vocabulary.Word(4));
    }

    [Fact]
    public void A_vocabulary_needs_unknown_and_distinct_words()
    {
        Assert.Throws<ArgumentException>(() => new Vocabulary(["a", "b"]));
        Assert.Throws<ArgumentException>(() => new Vocabulary(["a", Vocabulary.Unknown, "a"]));
        Assert.Equal(-1, new Vocabulary([Vocabulary.Unknown]).EndOfSentenceId);
    }
}

public sealed class TextCorpusPtbTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string WritePtb(string train, string valid, string test)
    {
        string folder = _temp.Sub("ptb");
        File.WriteAllText(Path.Combine(folder, "ptb.train.txt"), train);
        File.WriteAllText(Path.Combine(folder, "ptb.valid.txt"), valid);
        File.WriteAllText(Path.Combine(folder, "ptb.test.txt"), test);
        return folder;
    }

    [Fact]
    public void Vocabulary_is_the_train_words_in_order_of_first_appearance_with_eos_after_the_first_line()
    {
        // PTB's own layout: a leading space on every line, words separated by single spaces.
        string folder = WritePtb(" the cat sat \n the dog <unk> ran \n", " the bird sat \n", " dog \n\n cat \n");

        var corpus = TextCorpus.LoadPtb(folder);

        Assert.Equal(["the", "cat", "sat", "<eos>", "dog", "<unk>", "ran"], corpus.Vocabulary.Words);
        Assert.Equal([0L, 1, 2, 3, 0, 4, 5, 6, 3], corpus.Train);
        // "bird" is not in train: <unk>.
        Assert.Equal([0L, 5, 2, 3], corpus.Validation);
        // A blank line is an empty sentence: just <eos>, as PyTorch's word_language_model reads it.
        Assert.Equal([4L, 3, 3, 1, 3], corpus.Test);
        Assert.Equal(0.25, corpus.UnknownRate(corpus.Validation));
        Assert.Equal(0.0, corpus.UnknownRate(corpus.Test));
        Assert.Equal($"ptb ({Path.GetFullPath(folder)})", corpus.Description);
    }

    [Fact]
    public void A_train_file_without_unk_gets_it_last_so_unseen_words_still_encode()
    {
        string folder = WritePtb("a b\nb c\n", "a x\n", "y\n");

        var corpus = TextCorpus.LoadPtb(folder);

        Assert.Equal(["a", "b", "<eos>", "c", "<unk>"], corpus.Vocabulary.Words);
        Assert.Equal([0L, 4, 2], corpus.Validation);
        Assert.Equal([4L, 2], corpus.Test);
    }

    [Fact]
    public void Missing_files_are_named_with_the_folder_in_one_line()
    {
        string folder = _temp.Sub("ptb");
        File.WriteAllText(Path.Combine(folder, "ptb.train.txt"), "a b\n");

        var e = Assert.Throws<NascentException>(() => TextCorpus.LoadPtb(folder));

        Assert.StartsWith($"Penn Treebank not found: ptb.valid.txt, ptb.test.txt missing from {folder};", e.Message);
        Assert.Contains("not on any package registry", e.Message);
        Assert.Contains("ptb.train.txt, ptb.valid.txt, ptb.test.txt there", e.Message);
        Assert.Contains("simple-examples", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Files_where_the_simple_examples_archive_unpacks_them_are_found()
    {
        string folder = _temp.Sub("ptb");
        string data = _temp.Sub("ptb", "simple-examples", "data");
        foreach (string file in TextCorpus.PtbFiles) File.WriteAllText(Path.Combine(data, file), " a b \n");
        File.WriteAllText(Path.Combine(folder, "ptb.train.txt"), " other \n");

        var corpus = TextCorpus.LoadPtb(folder);

        Assert.Equal(["a", "b", "<eos>", "<unk>"], corpus.Vocabulary.Words);
        Assert.Equal($"ptb ({data})", corpus.Description);
    }

    [Fact]
    public void A_missing_folder_is_said_to_be_missing()
    {
        string folder = Path.Combine(_temp.Path, "nowhere");
        var e = Assert.Throws<NascentException>(() => TextCorpus.LoadPtb(folder));
        Assert.StartsWith($"Penn Treebank not found: ptb.train.txt, ptb.valid.txt, ptb.test.txt missing from {folder} (the folder does not exist);", e.Message);
    }

    [Fact]
    public void Empty_train_or_test_file_is_an_error_naming_it()
    {
        string folder = WritePtb("\n\n", "a\n", "a\n");
        var e = Assert.Throws<NascentException>(() => TextCorpus.LoadPtb(folder));
        Assert.Contains("ptb.train.txt has no words", e.Message);

        WritePtb("a\n", "a\n", "");
        e = Assert.Throws<NascentException>(() => TextCorpus.LoadPtb(folder));
        Assert.Contains("ptb.test.txt is empty", e.Message);
    }
}

public sealed class TextCorpusTextTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Write(string text, string name = "corpus.txt")
    {
        string path = Path.Combine(_temp.Path, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Words_are_lower_cased_runs_with_inner_apostrophes_and_hyphens_and_punctuation_stands_alone()
    {
        Assert.Equal(
            ["don't", "stop", ",", "well-known", "'", "quoted", "'", "a", "-", "-", "b", "end", "-", "3", ".", "14", "café", "—", "ok", "!"],
            TextCorpus.Words("Don\u2019t STOP, well-known 'quoted' a--b end- 3.14 Café\u2014ok!"));
        Assert.Equal(["nai\u0308ve", "x"], TextCorpus.Words("nai\u0308ve\tx"));
        Assert.Empty(TextCorpus.Words(" \t "));
    }

    [Fact]
    public void Vocabulary_keeps_the_most_frequent_training_words_ties_in_order_of_first_appearance()
    {
        // Four non-blank lines at fraction 0.25: two train, one validation, one test. Blank lines are skipped.
        // Train counts: d 3; b, a, c 2 (first seen in that order); "," and e 1. Cap 6 keeps d, b, a, c.
        string path = Write("B a, c a\n\n   \nc d e b d d\nA z z z z z z\ne b\n");

        var corpus = TextCorpus.LoadText(path, vocabularyCap: 6, heldOutFraction: 0.25);
        Assert.Equal(["<unk>", "<eos>", "d", "b", "a", "c"], corpus.Vocabulary.Words);
        // "," is in train once, as frequent as e: the cap decides, ties by first appearance (, before e).
        corpus = TextCorpus.LoadText(path, vocabularyCap: 7, heldOutFraction: 0.25);
        Assert.Equal(["<unk>", "<eos>", "d", "b", "a", "c", ","], corpus.Vocabulary.Words);

        corpus = TextCorpus.LoadText(path, vocabularyCap: 5, heldOutFraction: 0.25);
        Assert.Equal(["<unk>", "<eos>", "d", "b", "a"], corpus.Vocabulary.Words);
        Assert.Equal([3L, 4, 0, 0, 4, 1, 0, 2, 0, 3, 2, 2, 1], corpus.Train);
        // z is frequent in validation only: it does not enter the vocabulary.
        Assert.Equal([4L, 0, 0, 0, 0, 0, 0, 1], corpus.Validation);
        Assert.Equal([0L, 3, 1], corpus.Test);
        Assert.Equal(1.0 / 3, corpus.UnknownRate(corpus.Test), 12);
        Assert.Equal($"text:{path}", corpus.Description);
    }

    [Fact]
    public void Lines_are_split_contiguously_in_file_order_each_ended_by_eos()
    {
        // Line i holds i+1 copies of "a", so a part's length tells which lines it got.
        var lines = Enumerable.Range(0, 20).Select(i => string.Join(' ', Enumerable.Repeat("a", i + 1)));
        string path = Write(string.Join('\n', lines) + "\n");

        var corpus = TextCorpus.LoadText(path, heldOutFraction: 0.1);

        static long[] Expected(int first, int end) =>
            Enumerable.Range(first, end - first).SelectMany(i => Enumerable.Repeat(2L, i + 1).Append(1L)).ToArray();
        Assert.Equal(Expected(0, 16), corpus.Train);
        Assert.Equal(Expected(16, 18), corpus.Validation);
        Assert.Equal(Expected(18, 20), corpus.Test);
    }

    [Fact]
    public void Held_out_line_counts_round_to_nearest()
    {
        // 30 lines x 0.05 = 1.5 lines, rounded to 2 for validation and 2 for test.
        string path = Write(string.Join('\n', Enumerable.Range(0, 30).Select(i => $"w{i}")));
        var corpus = TextCorpus.LoadText(path, heldOutFraction: 0.05);
        Assert.Equal((26 * 2, 2 * 2, 2 * 2), (corpus.Train.Length, corpus.Validation.Length, corpus.Test.Length));
        Assert.Equal(28, corpus.Vocabulary.Count);
    }

    [Fact]
    public void Loading_twice_gives_the_same_ids()
    {
        var words = new Random(5).GetItems(["x", "y", "z", "w", "v", "u", "t"], 400);
        string path = Write(string.Join('\n', words.Chunk(8).Select(c => string.Join(' ', c))));
        var first = TextCorpus.LoadText(path, vocabularyCap: 5);
        var second = TextCorpus.LoadText(path, vocabularyCap: 5);
        Assert.Equal(first.Vocabulary.Words, second.Vocabulary.Words);
        Assert.Equal(first.Train, second.Train);
    }

    [Fact]
    public void Errors_are_one_line_each()
    {
        string missing = Path.Combine(_temp.Path, "missing.txt");
        AssertError($"Text corpus {missing} not found", () => TextCorpus.LoadText(missing));
        AssertError($"Text corpus {_temp.Path} is a folder", () => TextCorpus.LoadText(_temp.Path));
        AssertError("has no words", () => TextCorpus.LoadText(Write("\n  \n\t\n", "blank.txt")));
        // Three lines at 0.1: 0.3 rounds to no held-out line.
        AssertError("too few lines (3) for held-out fraction 0.1: train, validation and test would get 3, 0 and 0 lines",
            () => TextCorpus.LoadText(Write("a\nb\nc\n", "three.txt"), heldOutFraction: 0.1));
        // Two lines at 0.25: one each for validation and test, none left for train.
        AssertError("too few lines (2) for held-out fraction 0.25: train, validation and test would get 0, 1 and 1 lines",
            () => TextCorpus.LoadText(Write("a\nb\n", "two.txt"), heldOutFraction: 0.25));
        string good = Write("a\nb\nc\n", "good.txt");
        AssertError("Vocabulary cap 2 is too small", () => TextCorpus.LoadText(good, vocabularyCap: 2));
        foreach (double fraction in new[] { 0, 0.5, -0.1, double.NaN })
            AssertError("must lie strictly between 0 and 0.5", () => TextCorpus.LoadText(good, heldOutFraction: fraction));
        Assert.Equal(3, TextCorpus.LoadText(good, vocabularyCap: 3, heldOutFraction: 0.3).Vocabulary.Count);
    }

    private static void AssertError(string part, Func<object> load)
    {
        var e = Assert.Throws<NascentException>(load);
        Assert.Contains(part, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}

public sealed class TextTokenBatchesTests
{
    private static long[] Stream(int count) => Enumerable.Range(0, count).Select(i => (long)i).ToArray();

    [Fact]
    public void Batchify_cuts_the_stream_into_contiguous_columns_and_drops_the_rest()
    {
        using var batched = TokenBatches.Batchify(Stream(21), batchSize: 4);

        Assert.Equal([5L, 4], batched.shape);
        Assert.Equal(ScalarType.Int64, batched.dtype);
        var values = batched.data<long>().ToArray();
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 4; j++)
                Assert.Equal(j * 5 + i, values[i * 4 + j]);
        Assert.DoesNotContain(20L, values);
    }

    [Fact]
    public void Batchify_needs_two_rows_and_a_positive_batch()
    {
        var e = Assert.Throws<NascentException>(() => TokenBatches.Batchify(Stream(7), 4));
        Assert.Contains("7 tokens gives 1 row(s) at batch size 4; at least 2 are needed", e.Message);
        Assert.Throws<NascentException>(() => TokenBatches.Batchify(Stream(7), 0));
        using var two = TokenBatches.Batchify(Stream(8), 4);
        Assert.Equal([2L, 4], two.shape);
    }

    [Fact]
    public void Windows_pair_each_input_row_with_the_next_row_and_the_last_window_is_short()
    {
        using var batched = TokenBatches.Batchify(Stream(21), batchSize: 4); // 5 rows: 4 input positions per column

        Assert.Equal(2, TokenBatches.WindowCount(batched, 3));
        var (input, target) = TokenBatches.Window(batched, 0, 3);
        using (input)
        using (target)
        {
            Assert.Equal([3L, 4], input.shape);
            Assert.Equal([3L, 4], target.shape);
            Assert.Equal([0L, 5, 10, 15], input[0].data<long>().ToArray());
            Assert.Equal([1L, 6, 11, 16], target[0].data<long>().ToArray());
            Assert.Equal([3L, 8, 13, 18], target[2].data<long>().ToArray());
            // Within a column the stream is contiguous, so here the target is the input plus one.
            Assert.Equal(input.data<long>().Select(t => t + 1), target.data<long>().ToArray());
        }

        var (lastInput, lastTarget) = TokenBatches.Window(batched, 3, 3);
        using (lastInput)
        using (lastTarget)
        {
            Assert.Equal([1L, 4], lastInput.shape);
            Assert.Equal([3L, 8, 13, 18], lastInput[0].data<long>().ToArray());
            Assert.Equal([4L, 9, 14, 19], lastTarget[0].data<long>().ToArray());
        }
    }

    [Theory]
    [InlineData(1, 4)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(4, 1)]
    [InlineData(35, 1)]
    public void One_pass_of_windows_covers_every_target_row_once(int bptt, int windows)
    {
        using var batched = TokenBatches.Batchify(Stream(21), batchSize: 4);
        Assert.Equal(windows, TokenBatches.WindowCount(batched, bptt));

        var targets = new List<long>();
        for (long start = 0; start < batched.shape[0] - 1; start += bptt)
        {
            var (input, target) = TokenBatches.Window(batched, start, bptt);
            using (input)
            using (target)
                targets.AddRange(target.select(1, 0).data<long>().ToArray());
        }
        Assert.Equal([1L, 2, 3, 4], targets);
    }

    [Fact]
    public void A_window_must_start_before_the_last_row()
    {
        using var batched = TokenBatches.Batchify(Stream(21), batchSize: 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenBatches.Window(batched, 4, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenBatches.Window(batched, -1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenBatches.Window(batched, 0, 0));
    }
}
