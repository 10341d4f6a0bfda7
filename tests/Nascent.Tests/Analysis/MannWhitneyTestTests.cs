using Nascent.Analysis;

namespace Nascent.Tests.Analysis;

public sealed class MannWhitneyTestTests
{
    [Fact]
    public void Complete_separation_of_three_against_three_has_the_exact_p_of_two_in_twenty()
    {
        // All of a above all of b: U = 9, and only 2 of the C(6,3) = 20 arrangements are that extreme (two-sided).
        var t = MannWhitneyTest.Compare([4, 5, 6], [1, 2, 3]);
        Assert.True(t.Exact);
        Assert.Equal(9, t.U);
        Assert.Equal(0.1, t.PValue, 12);
    }

    [Fact]
    public void Matches_a_known_exact_value()
    {
        // R: wilcox.test(c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30), c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29))
        // W = 58, p-value = 0.1329
        var t = MannWhitneyTest.Compare([1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30],
            [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]);
        Assert.Equal(58, t.U);
        Assert.Equal(0.1329, t.PValue, 3);
    }

    [Fact]
    public void Identical_samples_are_not_significant()
    {
        var t = MannWhitneyTest.Compare([1, 2, 3, 4], [1, 2, 3, 4]);
        Assert.False(t.Exact); // ties
        Assert.True(t.PValue > 0.9);
    }

    [Fact]
    public void The_normal_approximation_keeps_a_tiny_p_value_precise()
    {
        // 25 against 25, completely separated: U = 625, z = 312 / sqrt(25 * 25 * 51 / 12), p = erfc(z / sqrt 2),
        // evaluated in mpmath at 40 digits (R: wilcox.test(26:50, 1:25, exact = FALSE)).
        var t = MannWhitneyTest.Compare(Enumerable.Range(26, 25).Select(v => (double)v).ToArray(),
            Enumerable.Range(1, 25).Select(v => (double)v).ToArray());
        Assert.False(t.Exact);
        Assert.Equal(625, t.U);
        Assert.Equal(1.4156562248495599308e-9, t.PValue, 1.4156562248495599308e-9 * 1e-10);
    }

    [Fact]
    public void Ties_use_the_tie_corrected_normal_approximation()
    {
        // U = 9.5; tie term 2 * (3^3 - 3) + (2^3 - 2) = 54 (2, 3 three times, 5 twice); p from R's formula with continuity correction,
        // evaluated in mpmath at 40 digits.
        var t = MannWhitneyTest.Compare([1, 2, 2, 3, 4, 5], [2, 3, 3, 5, 6, 7, 8]);
        Assert.False(t.Exact);
        Assert.Equal(9.5, t.U);
        Assert.Equal(0.11155930545078222077, t.PValue, 12);
    }
}
