namespace Nascent.Spaces;

/// <summary>
/// An ordered list of categorical decisions and the rules that make a choice vector an architecture.
/// Every strategy works on this one representation, so every strategy runs on every space.
/// </summary>
public abstract class SearchSpace
{
    private readonly int[] _tokenOffsets;

    protected SearchSpace(IReadOnlyList<Decision> decisions)
    {
        if (decisions.Count == 0) throw new ArgumentException("A space needs at least one decision.");
        Decisions = decisions;
        _tokenOffsets = new int[decisions.Count];
        int offset = 0;
        for (int i = 0; i < decisions.Count; i++)
        {
            _tokenOffsets[i] = offset;
            offset += decisions[i].Count;
        }
        VocabularySize = offset;
    }

    /// <summary>The space's name as the command line spells it (e.g. "nb201").</summary>
    public abstract string Name { get; }

    public IReadOnlyList<Decision> Decisions { get; }

    /// <summary>Number of distinct tokens over all decisions (see <see cref="ToTokens"/>).</summary>
    public int VocabularySize { get; }

    /// <summary>Number of architectures in the space (product of option counts), as a double: it can be huge.</summary>
    public double Size => Decisions.Aggregate(1.0, (acc, d) => acc * d.Count);

    /// <summary>Whether <paramref name="option"/> may follow the earlier choices <paramref name="prefix"/>.
    /// Spaces whose options depend on earlier decisions override this; samplers and decoders mask with it.</summary>
    public virtual bool IsAllowed(int decision, int option, IReadOnlyList<int> prefix) =>
        option >= 0 && option < Decisions[decision].Count;

    /// <summary>The string form of an architecture of this space.</summary>
    public abstract string Format(Architecture architecture);

    /// <summary>Reads the string form back; a string that does not parse throws <see cref="NascentException"/>.</summary>
    public abstract Architecture Parse(string text);

    /// <summary>The labelled DAG of an architecture, for graph metrics and drawing.</summary>
    public abstract ArchitectureGraph ToGraph(Architecture architecture);

    /// <summary>Builds an architecture from a choice vector, validating every choice.</summary>
    public Architecture Create(IReadOnlyList<int> choices)
    {
        if (choices.Count != Decisions.Count)
            throw new NascentException($"{Name} architecture has {choices.Count} choices, expected {Decisions.Count}.");
        var copy = choices.ToArray();
        for (int i = 0; i < copy.Length; i++)
        {
            if (!IsAllowed(i, copy[i], new ArraySegment<int>(copy, 0, i)))
                throw new NascentException(
                    $"{Name} architecture: option {copy[i]} is not allowed at decision '{Decisions[i].Name}' " +
                    $"(allowed: {string.Join(", ", AllowedOptions(i, new ArraySegment<int>(copy, 0, i)))}).");
        }
        return new Architecture(this, copy);
    }

    public IReadOnlyList<int> AllowedOptions(int decision, IReadOnlyList<int> prefix) =>
        Enumerable.Range(0, Decisions[decision].Count).Where(o => IsAllowed(decision, o, prefix)).ToArray();

    /// <summary>Uniform choice at every decision among the allowed options.</summary>
    public Architecture Sample(SeededRandom random)
    {
        var choices = new int[Decisions.Count];
        for (int i = 0; i < choices.Length; i++)
        {
            var allowed = AllowedOptions(i, new ArraySegment<int>(choices, 0, i));
            choices[i] = allowed[random.Next(allowed.Count)];
        }
        return new Architecture(this, choices);
    }

    /// <summary>Up to <paramref name="count"/> distinct uniform samples for which <paramref name="excluded"/> is false,
    /// 100 draws per architecture at most; when the space seems used up, the rest are plain samples.</summary>
    public List<Architecture> SampleUnseen(SeededRandom random, int count, Func<Architecture, bool> excluded)
    {
        var chosen = new List<Architecture>();
        const int attemptsPerArchitecture = 100;
        for (int attempt = 0; chosen.Count < count && attempt < count * attemptsPerArchitecture; attempt++)
        {
            var a = Sample(random);
            if (!excluded(a) && !chosen.Contains(a)) chosen.Add(a);
        }
        while (chosen.Count < count) chosen.Add(Sample(random));
        return chosen;
    }

    /// <summary>Changes one decision, picked uniformly among those with an alternative, to a different allowed
    /// option (Real et al.'s mutation). Later decisions that the change makes invalid are re-sampled.</summary>
    public Architecture Mutate(Architecture parent, SeededRandom random)
    {
        var mutable = Enumerable.Range(0, Decisions.Count)
            .Where(i => AllowedOptions(i, parent.Choices.Take(i).ToArray()).Count > 1).ToArray();
        if (mutable.Length == 0) return parent;
        int decision = mutable[random.Next(mutable.Length)];
        var choices = parent.Choices.ToArray();
        var alternatives = AllowedOptions(decision, choices.Take(decision).ToArray())
            .Where(o => o != choices[decision]).ToArray();
        choices[decision] = alternatives[random.Next(alternatives.Length)];
        for (int i = decision + 1; i < choices.Length; i++)
        {
            var prefix = new ArraySegment<int>(choices, 0, i);
            if (!IsAllowed(i, choices[i], prefix))
            {
                var allowed = AllowedOptions(i, prefix);
                choices[i] = allowed[random.Next(allowed.Count)];
            }
        }
        return new Architecture(this, choices);
    }

    public int[] ToTokens(Architecture architecture)
    {
        var tokens = new int[Decisions.Count];
        for (int i = 0; i < tokens.Length; i++) tokens[i] = _tokenOffsets[i] + architecture[i];
        return tokens;
    }

    public Architecture FromTokens(IReadOnlyList<int> tokens)
    {
        if (tokens.Count != Decisions.Count)
            throw new NascentException($"{Name}: {tokens.Count} tokens, expected {Decisions.Count}.");
        return Create(tokens.Select((t, i) => t - _tokenOffsets[i]).ToArray());
    }

    /// <summary>The first token id of a decision; its options are the next <c>Decisions[i].Count</c> ids.</summary>
    public int TokenOffset(int decision) => _tokenOffsets[decision];

    /// <summary>An equivalent encoding of the same network drawn with <paramref name="random"/> (NAO's symmetric
    /// augmentation), or null when the space has none.</summary>
    public virtual Architecture? SymmetricVariant(Architecture architecture, SeededRandom random) => null;

    /// <summary>The decisions grouped into blocks a cell grows by, one block per stage of a progressive search
    /// (DPP-Net, PNAS), in growth order; null when the space has no such form.</summary>
    public virtual IReadOnlyList<IReadOnlyList<int>>? ProgressiveBlocks => null;

    /// <summary>The architecture of the cell grown to its first <paramref name="blocks"/> blocks: the decisions of
    /// those blocks from <paramref name="choices"/>, every later decision set so the later blocks only pass the
    /// last grown one on. Spaces with <see cref="ProgressiveBlocks"/> override it.</summary>
    public virtual Architecture Grown(IReadOnlyList<int> choices, int blocks) =>
        throw new NascentException($"The {Name} space cannot be searched progressively (no blocks to grow a cell by).");

    /// <summary>Every architecture of the space, in choice order (only for small spaces: tests, enumeration).</summary>
    public IEnumerable<Architecture> Enumerate()
    {
        var choices = new int[Decisions.Count];
        IEnumerable<Architecture> Walk(int i)
        {
            if (i == choices.Length) { yield return new Architecture(this, (int[])choices.Clone()); yield break; }
            foreach (var o in AllowedOptions(i, new ArraySegment<int>(choices, 0, i)))
            {
                choices[i] = o;
                foreach (var a in Walk(i + 1)) yield return a;
            }
        }
        return Walk(0);
    }

    public override string ToString() => Name;
}
