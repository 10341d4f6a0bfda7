namespace Nascent.Data;

/// <summary>
/// A word-level corpus for language-model search: one vocabulary and three token streams (train, validation, test),
/// each the sentences of its part joined in order, every sentence ended by <see cref="Vocabulary.EndOfSentence"/>.
/// Streams are plain id arrays; <see cref="TokenBatches"/> turns one into the [steps, batch] tensor the trainers read.
/// </summary>
public sealed class TextCorpus
{
    public const string PtbTrainFile = "ptb.train.txt", PtbValidationFile = "ptb.valid.txt", PtbTestFile = "ptb.test.txt";

    /// <summary>Where the files sit inside Mikolov's simple-examples archive; <see cref="LoadPtb"/> looks there too.</summary>
    public static readonly string PtbArchiveFolder = Path.Combine("simple-examples", "data");

    /// <summary>The three PTB files in the order train, validation, test.</summary>
    public static IReadOnlyList<string> PtbFiles { get; } = [PtbTrainFile, PtbValidationFile, PtbTestFile];

    /// <summary>Takes the streams as they are; every id must lie in the vocabulary.</summary>
    public TextCorpus(string description, Vocabulary vocabulary, long[] train, long[] validation, long[] test)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        Description = description;
        Vocabulary = vocabulary;
        Train = Checked(train, vocabulary, nameof(train));
        Validation = Checked(validation, vocabulary, nameof(validation));
        Test = Checked(test, vocabulary, nameof(test));
    }

    /// <summary>Where the corpus came from, for logs and reports: "ptb (folder)" or "text:file".</summary>
    public string Description { get; }
    public Vocabulary Vocabulary { get; }
    public long[] Train { get; }
    public long[] Validation { get; }
    public long[] Test { get; }

    /// <summary>
    /// Penn Treebank, word level (Mikolov's preprocessing: 10k words, rare ones already replaced by &lt;unk&gt;):
    /// ptb.train.txt, ptb.valid.txt and ptb.test.txt in <paramref name="folder"/> (or in its simple-examples/data, where
    /// the archive unpacks them). Read exactly as PyTorch's
    /// word_language_model reads them, so token counts and ids match published numbers: every line is one sentence
    /// (a blank line too), words are split on whitespace and &lt;eos&gt; follows each line; the vocabulary is every
    /// word of the train file in order of first appearance, &lt;eos&gt; included where it first appears (after the
    /// first line). Should a train file lack &lt;unk&gt; (not PTB's), it is added last, so a validation or test word
    /// the train file lacks still has an id.
    /// </summary>
    public static TextCorpus LoadPtb(string folder)
    {
        string full = Path.GetFullPath(folder);
        // The files may also sit where the simple-examples archive unpacks them.
        string archived = Path.Combine(full, PtbArchiveFolder);
        var missing = PtbFiles.Where(f => !File.Exists(Path.Combine(full, f))).ToList();
        if (missing.Count > 0 && PtbFiles.All(f => File.Exists(Path.Combine(archived, f))))
        {
            full = archived;
            missing.Clear();
        }
        if (missing.Count > 0)
        {
            string where = Directory.Exists(full) ? full : $"{full} (the folder does not exist)";
            throw new NascentException(
                $"Penn Treebank not found: {string.Join(", ", missing)} missing from {where}; PTB is not on any package registry here, " +
                $"so place the three standard word-level files {string.Join(", ", PtbFiles)} there " +
                "(data/ptb.*.txt of Mikolov's simple-examples archive)");
        }

        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var words = new List<string>();
        int Add(string word)
        {
            if (ids.TryGetValue(word, out int id)) return id;
            ids[word] = words.Count;
            words.Add(word);
            return words.Count - 1;
        }

        // Train builds the vocabulary as it is read; validation and test only look words up.
        string trainPath = Path.Combine(full, PtbTrainFile);
        var train = new List<long>();
        foreach (string[] sentence in PtbSentences(trainPath))
        {
            foreach (string word in sentence) train.Add(Add(word));
            train.Add(Add(Vocabulary.EndOfSentence));
        }
        if (words.Count == 0 || (words.Count == 1 && words[0] == Vocabulary.EndOfSentence))
            throw new NascentException($"Penn Treebank file {trainPath} has no words: replace it with the standard ptb.train.txt");
        Add(Vocabulary.EndOfSentence);
        Add(Vocabulary.Unknown);
        var vocabulary = new Vocabulary(words);

        long[] Encode(string file)
        {
            string path = Path.Combine(full, file);
            var tokens = new List<long>();
            foreach (string[] sentence in PtbSentences(path))
            {
                foreach (string word in sentence) tokens.Add(vocabulary[word]);
                tokens.Add(vocabulary.EndOfSentenceId);
            }
            if (tokens.Count == 0)
                throw new NascentException($"Penn Treebank file {path} is empty: replace it with the standard {file}");
            return tokens.ToArray();
        }

        long[] validation = Encode(PtbValidationFile), test = Encode(PtbTestFile);
        return new TextCorpus($"ptb ({full})", vocabulary, train.ToArray(), validation, test);
    }

    /// <summary>
    /// Any UTF-8 text file as a corpus, for when PTB is not at hand. Each non-blank line is tokenised
    /// (as <see cref="Words"/> shows) and followed by &lt;eos&gt;. The lines are split contiguously, in file order, so no
    /// sentence of a passage leaks into another part: the first 1 - 2 x <paramref name="heldOutFraction"/> to train, the
    /// next <paramref name="heldOutFraction"/> to validation, the last to test (held-out line count rounded to
    /// nearest). The vocabulary is &lt;unk&gt; (id 0), &lt;eos&gt; (id 1) and the <paramref name="vocabularyCap"/> - 2
    /// most frequent training words, most frequent first, ties in order of first appearance, so the same file always
    /// gives the same ids; every other word maps to &lt;unk&gt;, as PTB's rare words do.
    /// </summary>
    public static TextCorpus LoadText(string file, int vocabularyCap = 10000, double heldOutFraction = 0.05)
    {
        if (vocabularyCap < 3)
            throw new NascentException($"Vocabulary cap {vocabularyCap} is too small: it must be at least 3 ({Vocabulary.Unknown}, {Vocabulary.EndOfSentence} and one word)");
        if (!(heldOutFraction > 0 && heldOutFraction < 0.5))
            throw new NascentException(string.Create(CultureInfo.InvariantCulture,
                $"Held-out fraction {heldOutFraction} must lie strictly between 0 and 0.5 (it is the share of lines for validation, and again for test)"));
        string path = Path.GetFullPath(file);
        if (!File.Exists(path))
            throw new NascentException(Directory.Exists(path)
                ? $"Text corpus {path} is a folder: give a UTF-8 text file"
                : $"Text corpus {path} not found: give an existing UTF-8 text file");

        // One pass: words get provisional ids in order of first appearance over the whole file. Train is the file's
        // first lines, so among training words this is also their order of first appearance in train.
        var provisional = new Dictionary<string, int>(StringComparer.Ordinal);
        var lookup = provisional.GetAlternateLookup<ReadOnlySpan<char>>();
        var tokens = new List<int>();
        var lineEnds = new List<int>();
        var ranges = new List<Range>();
        foreach (string line in ReadLines(path, "Text corpus"))
        {
            string text = Normalize(line);
            ranges.Clear();
            Tokenize(text, ranges);
            if (ranges.Count == 0) continue;
            foreach (var range in ranges)
            {
                var word = text.AsSpan()[range];
                if (!lookup.TryGetValue(word, out int id))
                {
                    id = provisional.Count;
                    lookup[word] = id;
                }
                tokens.Add(id);
            }
            lineEnds.Add(tokens.Count);
        }
        int lines = lineEnds.Count;
        if (lines == 0) throw new NascentException($"Text corpus {path} has no words: give a UTF-8 text file with some text in it");

        int heldOut = (int)Math.Round(lines * heldOutFraction, MidpointRounding.AwayFromZero);
        int trainLines = lines - 2 * heldOut;
        if (heldOut < 1 || trainLines < 1)
            throw new NascentException(string.Create(CultureInfo.InvariantCulture,
                $"Text corpus {path} has too few lines ({lines}) for held-out fraction {heldOutFraction}: train, validation and test would get {trainLines}, {heldOut} and {heldOut} lines, and each needs at least one"));

        int trainEnd = lineEnds[trainLines - 1];
        var counts = new int[provisional.Count];
        for (int t = 0; t < trainEnd; t++) counts[tokens[t]]++;
        var kept = Enumerable.Range(0, counts.Length).Where(i => counts[i] > 0)
            .OrderByDescending(i => counts[i]).ThenBy(i => i)
            .Take(vocabularyCap - 2).ToArray();

        var byProvisional = new string[provisional.Count];
        foreach (var (word, id) in provisional) byProvisional[id] = word;
        const int unknown = 0, endOfSentence = 1;
        var finalId = new int[provisional.Count]; // 0 = <unk> for every word not kept
        for (int k = 0; k < kept.Length; k++) finalId[kept[k]] = k + 2;
        var vocabulary = new Vocabulary([Vocabulary.Unknown, Vocabulary.EndOfSentence, .. kept.Select(i => byProvisional[i])]);
        System.Diagnostics.Debug.Assert(vocabulary.UnknownId == unknown && vocabulary.EndOfSentenceId == endOfSentence);

        long[] Part(int firstLine, int endLine)
        {
            int start = firstLine == 0 ? 0 : lineEnds[firstLine - 1];
            var part = new long[lineEnds[endLine - 1] - start + (endLine - firstLine)];
            int p = 0;
            for (int line = firstLine; line < endLine; line++)
            {
                for (int t = line == 0 ? 0 : lineEnds[line - 1]; t < lineEnds[line]; t++) part[p++] = finalId[tokens[t]];
                part[p++] = endOfSentence;
            }
            return part;
        }

        return new TextCorpus($"text:{path}", vocabulary,
            Part(0, trainLines), Part(trainLines, trainLines + heldOut), Part(trainLines + heldOut, lines));
    }

    /// <summary>
    /// Splits one line into tokens, for <see cref="LoadText"/> (which lower-cases and normalises quotes first).
    /// A word is a run of letters and digits (combining marks kept with them) in which an apostrophe or a hyphen may
    /// stand between two letters or digits ("don't", "well-known"); every other character that is not white space,
    /// a control or a format character is a token of its own, so punctuation is predicted like words, as in PTB.
    /// </summary>
    internal static void Tokenize(string line, List<Range> tokens)
    {
        int i = 0;
        while (i < line.Length)
        {
            var rune = RuneAt(line, i, out int n);
            if (IsSeparator(rune)) { i += n; continue; }
            if (!Rune.IsLetterOrDigit(rune)) { tokens.Add(i..(i + n)); i += n; continue; }
            int start = i;
            i += n;
            while (i < line.Length)
            {
                var next = RuneAt(line, i, out n);
                if (Rune.IsLetterOrDigit(next) || IsMark(next)) { i += n; continue; }
                if ((next.Value == '\'' || next.Value == '-') && i + 1 < line.Length && Rune.IsLetterOrDigit(RuneAt(line, i + 1, out int after)))
                {
                    i += 1 + after;
                    continue;
                }
                break;
            }
            tokens.Add(start..i);
        }
    }

    /// <summary>The words of one line as <see cref="LoadText"/> sees them: lower-cased, quotes normalised, tokenised.</summary>
    public static IReadOnlyList<string> Words(string line)
    {
        string text = Normalize(line);
        var ranges = new List<Range>();
        Tokenize(text, ranges);
        return ranges.Select(r => text[r]).ToList();
    }

    /// <summary>The share of <paramref name="part"/>'s tokens that are &lt;unk&gt; (0 for an empty part).</summary>
    public double UnknownRate(long[] part)
    {
        ArgumentNullException.ThrowIfNull(part);
        if (part.Length == 0) return 0;
        long unknown = Vocabulary.UnknownId, count = 0;
        foreach (long token in part) if (token == unknown) count++;
        return (double)count / part.Length;
    }

    public override string ToString() =>
        $"{Description}: {Vocabulary.Count} words; train {Train.Length}, validation {Validation.Length}, test {Test.Length} tokens";

    // Lower case (length-preserving in .NET), and typographic apostrophes and hyphens as their ASCII forms, so "Don’t"
    // and "don't" are one word.
    private static string Normalize(string line) =>
        line.ToLowerInvariant().Replace('\u2019', '\'').Replace('\u2018', '\'').Replace('\u2010', '-').Replace('\u2011', '-');

    private static IEnumerable<string[]> PtbSentences(string path)
    {
        foreach (string line in ReadLines(path, "Penn Treebank file"))
            yield return line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }

    // File.ReadLines opens lazily, so errors surface during enumeration; this turns them into one-line user errors.
    private static IEnumerable<string> ReadLines(string path, string what)
    {
        IEnumerator<string> lines;
        try { lines = File.ReadLines(path, Encoding.UTF8).GetEnumerator(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NascentException($"{what} {path} cannot be read: {e.Message.TrimEnd('.')}", e);
        }
        using (lines)
        {
            while (true)
            {
                try { if (!lines.MoveNext()) yield break; }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new NascentException($"{what} {path} cannot be read: {e.Message.TrimEnd('.')}", e);
                }
                yield return lines.Current;
            }
        }
    }

    private static Rune RuneAt(string s, int index, out int length)
    {
        // A lone surrogate decodes as the replacement character, one char long; it then stands as a token of its own.
        Rune.DecodeFromUtf16(s.AsSpan(index), out var rune, out length);
        return rune;
    }

    private static bool IsSeparator(Rune rune) =>
        Rune.IsWhiteSpace(rune) || Rune.IsControl(rune) || Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format;

    private static bool IsMark(Rune rune) => Rune.GetUnicodeCategory(rune)
        is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    private static long[] Checked(long[] tokens, Vocabulary vocabulary, string name)
    {
        ArgumentNullException.ThrowIfNull(tokens, name);
        foreach (long token in tokens)
            if (token < 0 || token >= vocabulary.Count)
                throw new ArgumentException($"Token id {token} is outside the vocabulary of {vocabulary.Count} words.", name);
        return tokens;
    }
}
