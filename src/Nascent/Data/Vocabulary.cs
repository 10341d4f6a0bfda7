namespace Nascent.Data;

/// <summary>
/// Word &lt;-&gt; id for a word-level language model. Ids are dense 0..Count-1 so they index an embedding table and the
/// softmax directly. Every vocabulary holds <see cref="Unknown"/>: a word it lacks maps to that id, so text outside the
/// training vocabulary (validation, test, a user's prompt) can always be encoded.
/// </summary>
public sealed class Vocabulary
{
    public const string Unknown = "<unk>", EndOfSentence = "<eos>";

    private readonly string[] _words;
    private readonly IReadOnlyList<string> _readOnlyWords;
    private readonly Dictionary<string, int> _ids;

    /// <summary>The words in id order: word i gets id i. They must be distinct and include <see cref="Unknown"/>.</summary>
    public Vocabulary(IEnumerable<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        _words = words.ToArray();
        _readOnlyWords = Array.AsReadOnly(_words);
        _ids = new Dictionary<string, int>(_words.Length, StringComparer.Ordinal);
        for (int i = 0; i < _words.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(_words[i], nameof(words));
            if (!_ids.TryAdd(_words[i], i))
                throw new ArgumentException($"Word '{_words[i]}' appears twice in the vocabulary (ids {_ids[_words[i]]} and {i}).", nameof(words));
        }
        if (!_ids.TryGetValue(Unknown, out int unknownId))
            throw new ArgumentException($"A vocabulary must contain {Unknown}.", nameof(words));
        UnknownId = unknownId;
        EndOfSentenceId = _ids.TryGetValue(EndOfSentence, out int eos) ? eos : -1;
    }

    public int Count => _words.Length;

    /// <summary>The id of <paramref name="word"/>, or the id of <see cref="Unknown"/> when the word is absent.</summary>
    public int this[string word] => _ids.TryGetValue(word, out int id) ? id : UnknownId;

    /// <summary>The id of <see cref="Unknown"/>.</summary>
    public int UnknownId { get; }

    /// <summary>The id of <see cref="EndOfSentence"/>, or -1 if this vocabulary has none.</summary>
    public int EndOfSentenceId { get; }

    /// <summary>The word with id <paramref name="id"/>.</summary>
    public string Word(int id) =>
        (uint)id < (uint)_words.Length ? _words[id]
            : throw new ArgumentOutOfRangeException(nameof(id), id, $"Ids run from 0 to {_words.Length - 1}.");

    /// <summary>The words in id order.</summary>
    public IReadOnlyList<string> Words => _readOnlyWords;

    public bool Contains(string word) => _ids.ContainsKey(word);

    public override string ToString() => $"{Count} words";
}
