using Nascent.Core;
using Nascent.Spaces;
using Nascent.Strategies;
using static TorchSharp.torch;

namespace Nascent.Tests.Strategies;

public sealed class NaoVocabularyTests
{
    /// <summary>An ENAS micro arc in ENAS's and NAO's integer form: per node input a, op a, input b, op b (inputs
    /// 0, 1 the cell inputs, 2.. the nodes), normal cell then reduction cell.</summary>
    private static readonly int[] Arc =
    [
        0, 0, 1, 4,   2, 1, 0, 2,   3, 3, 1, 4,   4, 0, 2, 1,   5, 4, 0, 2,
        1, 3, 0, 0,   2, 2, 1, 1,   0, 4, 3, 0,   4, 1, 2, 3,   5, 0, 1, 2,
    ];

    [Fact]
    public void An_enas_micro_architecture_reads_as_naos_input_op_pairs_over_twelve_tokens()
    {
        var space = new EnasMicroSpace();
        var vocabulary = NaoVocabulary.For(space);
        Assert.True(vocabulary.ReadsPairs);
        Assert.Equal(12, vocabulary.Size); // start symbol, inputs 1..6, operations 7..11 (NAO_V1's vocabulary of 12)
        Assert.Equal(40, vocabulary.Length);
        Assert.Equal(2, vocabulary.TokensPerEncoderStep); // 20 encoder steps of one (input, op) pair each, as NAO_V1
        var architecture = space.Parse(string.Join(" ", Arc));
        Assert.Equal("normal: (sep_conv_3x3~0 identity~1) (sep_conv_5x5~2 avg_pool_3x3~0) (max_pool_3x3~3 identity~1) " +
            "(sep_conv_3x3~4 sep_conv_5x5~2) (identity~5 avg_pool_3x3~0); reduce: (max_pool_3x3~1 sep_conv_3x3~0) " +
            "(avg_pool_3x3~2 sep_conv_5x5~1) (identity~0 sep_conv_3x3~3) (sep_conv_5x5~4 max_pool_3x3~2) (sep_conv_3x3~5 avg_pool_3x3~1)",
            architecture.ToString());
        int[] expected =
        [
            1, 7, 2, 11,   3, 8, 1, 9,   4, 10, 2, 11,   5, 7, 3, 8,   6, 11, 1, 9,
            2, 10, 1, 7,   3, 9, 2, 8,   1, 11, 4, 7,   5, 8, 3, 10,   6, 7, 2, 9,
        ];
        Assert.Equal(expected, vocabulary.Encode(architecture));
        // NAO's parse_arch_to_seq: every input + 1, every operation + 7.
        Assert.Equal(Arc.Select((v, i) => i % 2 == 0 ? v + 1 : v + 7), vocabulary.Encode(architecture));
        Assert.Equal(architecture, vocabulary.Decode(expected));
    }

    [Fact]
    public void Nb201_keeps_one_token_per_edge_in_its_own_range_and_a_recurrent_cell_reads_pairs()
    {
        var nb201 = NaoVocabulary.For(Nb201Space.Instance);
        Assert.False(nb201.ReadsPairs);
        Assert.Equal(31, nb201.Size);
        var cell = Nb201Space.Instance.Sample(new SeededRandom(3));
        Assert.Equal(Nb201Space.Instance.ToTokens(cell).Select(t => t + 1), nb201.Encode(cell));

        var rnn = NaoVocabulary.For(SpaceCatalog.Create("enas-rnn"));
        Assert.True(rnn.ReadsPairs);
        Assert.Equal(1 + 7 + 4, rnn.Size); // inputs 0..6 (node 7 picks among 7), four activations
        Assert.Equal(15, rnn.Length);      // node 0's activation, then (input, activation) for nodes 1..7
        Assert.Equal(1, rnn.TokensPerEncoderStep);   // node 0's lone activation breaks the pairs: one token per step
        Assert.Equal(2, NaoVocabulary.For(SpaceCatalog.Create("nao-rnn")).TokensPerEncoderStep);
        Assert.Equal(1, nb201.TokensPerEncoderStep);
    }

    [Theory]
    [InlineData("nb201")]
    [InlineData("enas-micro")]
    [InlineData("enas-rnn")]
    [InlineData("nao-rnn")]
    public void Encoding_then_decoding_gives_the_architecture_back(string spaceName)
    {
        var space = SpaceCatalog.Create(spaceName);
        var vocabulary = NaoVocabulary.For(space);
        var random = new SeededRandom(11);
        for (int i = 0; i < 200; i++)
        {
            var a = space.Sample(random);
            var tokens = vocabulary.Encode(a);
            Assert.All(tokens, t => Assert.InRange(t, 1, vocabulary.Size - 1));
            Assert.Equal(a, vocabulary.Decode(tokens));
        }
    }

    [Fact]
    public void A_token_the_position_cannot_take_is_a_clear_error()
    {
        var space = new EnasMicroSpace();
        var vocabulary = NaoVocabulary.For(space);
        var tokens = vocabulary.Encode(space.Parse(string.Join(" ", Arc)));
        tokens[0] = 3; // node 2 may take inputs 0 and 1 only (tokens 1, 2)
        Assert.Contains("normal node 2 input a", Assert.Throws<NascentException>(() => vocabulary.Decode(tokens)).Message);
        tokens[0] = 1;
        tokens[1] = 2; // an operation position given an input token
        Assert.Throws<NascentException>(() => vocabulary.Decode(tokens));
    }

    [Fact]
    public void The_decoder_emits_only_the_tokens_each_position_may_take()
    {
        var space = new EnasMicroSpace();
        using var model = new NaoModel(space, new NaoOptions { HiddenSize = 16, EmbeddingSize = 8 }, new SeededRandom(5));
        var vocabulary = model.Vocabulary;
        manual_seed(3);
        // Arbitrary encoder states, far from any training data: the mask alone keeps the tokens valid.
        var outputs = nn.functional.normalize(randn(64, vocabulary.Length, 16) * 10, 2, -1);
        var embedding = nn.functional.normalize(outputs.mean([1]), 2, -1);
        var sequences = model.DecodeTokens(outputs, embedding);
        Assert.Equal(64, sequences.Count);
        foreach (var sequence in sequences)
        {
            for (int p = 0; p < vocabulary.Length; p++)
            {
                int node = (p % 20) / 4; // 20 positions per cell, 4 per node
                if (p % 2 == 0) Assert.InRange(sequence[p], 1, node + 2); // node b picks among b + 2 inputs
                else Assert.InRange(sequence[p], 7, 11);                  // operations only
            }
            vocabulary.Decode(sequence); // and the sequence is an architecture
        }
        Assert.True(sequences.Select(s => string.Join(",", s)).Distinct().Count() > 1);
    }
}
