using Nascent.Analysis;

namespace Nascent.Tests.Analysis;

public sealed class StatisticsTests
{
    [Fact]
    public void Mean_and_sample_standard_deviation()
    {
        double[] values = [2, 4, 4, 4, 5, 5, 7, 9];
        Assert.Equal(5.0, Statistics.Mean(values), 12);
        Assert.Equal(Math.Sqrt(32.0 / 7), Statistics.StandardDeviation(values), 12);
        Assert.Equal(0.0, Statistics.StandardDeviation([3.5]));
    }

    [Fact]
    public void Quantile_is_R_type_7_on_unsorted_values()
    {
        // References: Python's statistics.quantiles(data, n, method="inclusive"), which is R's type 7.
        double[] values = [3.0, 1.0, 4.0, 1.5];
        Assert.Equal(1.15, Statistics.Quantile(values, 0.1), 12);
        Assert.Equal(1.8, Statistics.Quantile(values, 0.4), 12);
        Assert.Equal(3.7, Statistics.Quantile(values, 0.9), 12);
        Assert.Equal(2.25, Statistics.Median(values), 12);
        Assert.Equal(1.0, Statistics.Quantile(values, 0));
        Assert.Equal(4.0, Statistics.Quantile(values, 1));
        double[] odd = [7, 1, 3.5, 9, 2, 4, 8.5, 6, 5, 10, 0.5];
        Assert.Equal(2.75, Statistics.Quantile(odd, 0.25), 12);
        Assert.Equal(5.0, Statistics.Median(odd), 12);
        Assert.Equal(7.75, Statistics.Quantile(odd, 0.75), 12);
        Assert.Equal(42.0, Statistics.Quantile([42.0], 0.3));
        Assert.Equal([3.0, 1.0, 4.0, 1.5], values); // the caller's values are not reordered
    }

    [Fact]
    public void No_values_or_a_quantile_outside_zero_to_one_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Statistics.Quantile([], 0.5));
        Assert.Throws<ArgumentException>(() => Statistics.Median([]));
        Assert.Throws<ArgumentException>(() => Statistics.Mean([]));
        Assert.Throws<ArgumentException>(() => Statistics.Variance([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Statistics.Quantile([1.0, 2.0], 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Statistics.Quantile([1.0, 2.0], double.NaN));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.4)]
    [InlineData(-0.8)]
    [InlineData(2.5)]
    [InlineData(-40.0)]
    public void Student_t_p_value_with_one_and_two_degrees_of_freedom_matches_closed_forms(double t)
    {
        // P(|T| >= |t|): 1 - 2 atan|t| / pi for one degree of freedom, 1 - |t| / sqrt(2 + t^2) for two.
        Assert.Equal(1 - 2 * Math.Atan(Math.Abs(t)) / Math.PI, Statistics.StudentTTwoSidedP(t, 1), 13);
        Assert.Equal(1 - Math.Abs(t) / Math.Sqrt(2 + t * t), Statistics.StudentTTwoSidedP(t, 2), 13);
    }

    [Theory] // quantiles of Student's t from standard tables
    [InlineData(2.228138851986, 10, 0.975)]
    [InlineData(1.697260886500, 30, 0.95)]
    [InlineData(4.032142983557, 5, 0.995)]
    [InlineData(1.983971518523, 100, 0.975)]
    [InlineData(12.706204736175, 1, 0.975)]
    public void Student_t_p_value_matches_table_quantiles(double t, double df, double probability)
    {
        Assert.Equal(2 * (1 - probability), Statistics.StudentTTwoSidedP(t, df), 9);
        Assert.Equal(2 * (1 - probability), Statistics.StudentTTwoSidedP(-t, df), 9);
    }

    [Theory] // references: mpmath.betainc(df/2, 1/2, 0, df/(df + t^2), regularized=True) at 40 digits
    [InlineData(30.0, 198.0, 1.3995382240240807561e-75)]
    [InlineData(10.0, 5.0, 1.7094757574296359071e-4)]
    [InlineData(2.5, 7.3, 3.9650234665600471608e-2)]
    [InlineData(1e6, 1.0, 6.3661977236736913648e-7)] // = 2 atan(1e-6) / pi
    public void Far_tail_p_values_keep_their_relative_precision(double t, double df, double expected)
    {
        Assert.Equal(expected, Statistics.StudentTTwoSidedP(t, df), expected * 1e-11);
        Assert.Equal(0.0, Statistics.StudentTTwoSidedP(double.PositiveInfinity, 3));
        Assert.True(double.IsNaN(Statistics.StudentTTwoSidedP(double.NaN, 3)));
    }

    [Fact]
    public void Welch_test_matches_R_on_the_sleep_data()
    {
        // R: t.test(extra ~ group, data = sleep) -> t = -1.8608, df = 17.776, p-value = 0.07939
        double[] group1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
        double[] group2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
        var test = WelchTTest.Compare(group1, group2);
        Assert.Equal(0.75 - 2.33, test.Difference, 12);
        Assert.Equal(-1.8608, test.T, 4);
        Assert.Equal(17.776, test.DegreesOfFreedom, 3);
        Assert.Equal(0.07939, test.PValue, 5);
    }

    [Fact]
    public void Welch_test_matches_an_independent_computation_with_a_small_p_value()
    {
        // Reference: the Welch formulas evaluated at 40 digits in mpmath (p from its regularized incomplete beta).
        var test = WelchTTest.Compare([10.1, 10.3, 9.8, 10.2, 10.0], [8.9, 9.1, 9.0, 8.8, 9.2, 9.05]);
        Assert.Equal(1.0716666666666666667, test.Difference, 12);
        Assert.Equal(10.310791417013196259, test.T, 10);
        Assert.Equal(7.2911168757041365749, test.DegreesOfFreedom, 10);
        Assert.Equal(1.3160010597129807824e-5, test.PValue, 1.3160010597129807824e-5 * 1e-8);
    }

    [Fact]
    public void Welch_test_on_constant_samples()
    {
        Assert.Equal(1.0, WelchTTest.Compare([1, 1, 1], [1, 1]).PValue);
        var different = WelchTTest.Compare([2, 2, 2], [1, 1]);
        Assert.Equal(0.0, different.PValue);
        Assert.Equal(1.0, different.Difference);
        Assert.Throws<ArgumentException>(() => WelchTTest.Compare([1], [1, 2]));
    }

    [Fact]
    public void The_detectable_difference_of_two_samples_of_ten_is_about_1_3_standard_deviations()
    {
        // Equal sizes and deviations: df = 18, t(0.975, 18) = 2.1009 and t(0.80, 18) = 0.8623 (printed t tables),
        // times sqrt(1/10 + 1/10).
        Assert.Equal((2.1009 + 0.8623) * Math.Sqrt(0.2), WelchTTest.DetectableDifference(1, 10, 1, 10), 3);
        Assert.Equal(2 * WelchTTest.DetectableDifference(1, 10, 1, 10), WelchTTest.DetectableDifference(2, 10, 2, 10), 9);
        Assert.Equal(0, WelchTTest.DetectableDifference(0, 10, 0, 10));
        Assert.Throws<ArgumentException>(() => WelchTTest.DetectableDifference(1, 1, 1, 10));
    }
}
