namespace Nascent.Strategies;

/// <summary>
/// How NAO reads an architecture as a token sequence (<see cref="NaoModel"/>'s encoder input and decoder output).
/// Token 0 is the start symbol (NAO's SOS/EOS id 0).
/// <list type="bullet">
/// <item>On spaces with input decisions (ENAS micro, the recurrent cells) NAO's own layout: each node is read as
/// (input, op) pairs, its k-th input decision followed by its k-th operation decision (ENAS micro: input a, op a,
/// input b, op b, normal cell then reduction cell), over ONE vocabulary shared by every position: input option k (node
/// k, cell inputs first) is token 1 + k, operation o of the union of the operation labels is token
/// 1 + (most input options) + o. ENAS micro at B = 5: inputs 1..6, operations 7..11, 12 tokens, as NAO_V1's
/// <c>parse_arch_to_seq</c> (utils.py:492-520: <c>prev_node + 1</c>, <c>op + 7</c>) and
/// <c>--controller_encoder_vocab_size 12</c> (train_search.py:69).</item>
/// <item>On spaces of operation decisions only (NAS-Bench-201, InstaNAS) one token per decision in the space's own
/// order, each decision its own token range (<see cref="SearchSpace.ToTokens"/> + 1): an NB201 cell is its six edge
/// operations read edge by edge, the sequence NB201 ports of NAO encode; there is no input to pair an operation with.</item>
/// </list>
/// The decoder may emit at each position only the tokens of that position's decision (NAO's decoder: an input
/// position only valid inputs, an operation position only operations, decoder.py:109-113), so every decoded sequence
/// is an architecture.
/// </summary>
public sealed class NaoVocabulary
{
    private int[] _positions = [];     // the decision read at each position
    private int[][] _tokens = [];      // [position][option] -> token

    private NaoVocabulary() { }

    public SearchSpace Space { get; private init; } = null!;

    /// <summary>Whether the space is read as (input, op) pairs over one shared vocabulary.</summary>
    public bool ReadsPairs { get; private init; }

    /// <summary>Number of token ids, the start symbol 0 included.</summary>
    public int Size { get; private init; }

    /// <summary>Sequence length: one position per decision.</summary>
    public int Length => _positions.Length;

    /// <summary>Tokens the encoder reads per step: 2 where the whole sequence is (input, op) pairs (NAO_V1's encoder
    /// reads its 40 ENAS micro tokens as 20 steps of two concatenated embeddings: encoder.py:54-57 with
    /// <c>--controller_source_length 40</c> and <c>--controller_encoder_length 20</c>, train_search.py:62-63), else 1.</summary>
    public int TokensPerEncoderStep { get; private init; } = 1;

    /// <summary>The decision read at each position.</summary>
    public IReadOnlyList<int> Positions => _positions;

    public static NaoVocabulary For(SearchSpace space)
    {
        var decisions = space.Decisions;
        if (!decisions.Any(d => d.Kind == DecisionKind.Input))
        {
            var order = Enumerable.Range(0, decisions.Count).ToArray();
            var ranges = order.Select(i => Enumerable.Range(0, decisions[i].Count).Select(o => 1 + space.TokenOffset(i) + o).ToArray()).ToArray();
            return new NaoVocabulary { Space = space, _positions = order, _tokens = ranges, Size = 1 + space.VocabularySize };
        }
        int inputs = decisions.Where(d => d.Kind == DecisionKind.Input).Max(d => d.Count);
        var operations = decisions.Where(d => d.Kind == DecisionKind.Operation).SelectMany(d => d.Options).Distinct().ToList();
        var positions = new List<int>();
        foreach (var node in Enumerable.Range(0, decisions.Count).GroupBy(i => (decisions[i].Group, decisions[i].Node)))
        {
            var nodeInputs = node.Where(i => decisions[i].Kind == DecisionKind.Input).ToList();
            var nodeOperations = node.Where(i => decisions[i].Kind == DecisionKind.Operation).ToList();
            for (int k = 0; k < Math.Max(nodeInputs.Count, nodeOperations.Count); k++)
            {
                if (k < nodeInputs.Count) positions.Add(nodeInputs[k]);
                if (k < nodeOperations.Count) positions.Add(nodeOperations[k]);
            }
        }
        var tokens = positions.Select(i => decisions[i].Kind == DecisionKind.Input
            ? Enumerable.Range(0, decisions[i].Count).Select(o => 1 + o).ToArray()
            : decisions[i].Options.Select(label => 1 + inputs + operations.IndexOf(label)).ToArray()).ToArray();
        bool allPairs = positions.Count % 2 == 0 && Enumerable.Range(0, positions.Count / 2).All(k =>
            decisions[positions[2 * k]].Kind == DecisionKind.Input && decisions[positions[2 * k + 1]].Kind == DecisionKind.Operation);
        return new NaoVocabulary
        {
            Space = space, ReadsPairs = true, _positions = positions.ToArray(), _tokens = tokens,
            Size = 1 + inputs + operations.Count, TokensPerEncoderStep = allPairs ? 2 : 1,
        };
    }

    /// <summary>The token of option <paramref name="option"/> at position <paramref name="position"/>.</summary>
    public int Token(int position, int option) => _tokens[position][option];

    /// <summary>The tokens the position's decision can take, option by option.</summary>
    public IReadOnlyList<int> Tokens(int position) => _tokens[position];

    public int[] Encode(Architecture architecture)
    {
        if (architecture.Space != Space && architecture.Space.Name != Space.Name)
            throw new ArgumentException($"A {architecture.Space.Name} architecture cannot be read in the {Space.Name} vocabulary.");
        return _positions.Select((d, p) => _tokens[p][architecture[d]]).ToArray();
    }

    /// <summary>The architecture a token sequence names; a token its position cannot take throws NascentException.</summary>
    public Architecture Decode(IReadOnlyList<int> tokens)
    {
        if (tokens.Count != Length) throw new NascentException($"{Space.Name}: {tokens.Count} NAO tokens, expected {Length}.");
        var choices = new int[Length];
        for (int p = 0; p < Length; p++)
        {
            int option = Array.IndexOf(_tokens[p], tokens[p]);
            if (option < 0)
                throw new NascentException($"{Space.Name}: token {tokens[p]} is not an option of '{Space.Decisions[_positions[p]].Name}' (position {p}).");
            choices[_positions[p]] = option;
        }
        return Space.Create(choices);
    }
}
