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

    [Theory]
    [InlineData(1.0, 0.0)]
    [InlineData(2.0, 0.0)]
    [InlineData(5.0, 3.1780538303479458)] // ln 4!
    [InlineData(0.5, 0.57236494292470008)] // ln sqrt(pi)
    [InlineData(10.5, 13.940625219403763)]
    [InlineData(0.1, 2.2527126517342059)]
    public void Log_gamma_matches_known_values(double x, double expected) =>
        Assert.Equal(expected, Statistics.LogGamma(x), 12);

    [Theory]
    [InlineData(0.3, 1.0, 4.0)]
    [InlineData(0.7, 2.5, 1.0)]
    [InlineData(0.5, 7.0, 7.0)]
    [InlineData(0.05, 0.5, 0.5)]
    public void Incomplete_beta_matches_closed_forms(double x, double a, double b)
    {
        // I_x(1, b) = 1 - (1-x)^b; I_x(a, 1) = x^a; I_0.5(a, a) = 1/2; I_x(1/2, 1/2) = (2/pi) asin(sqrt x).
        double expected = a == 1 ? 1 - Math.Pow(1 - x, b)
            : b == 1 ? Math.Pow(x, a)
            : a == b && x == 0.5 ? 0.5
            : 2 / Math.PI * Math.Asin(Math.Sqrt(x));
        Assert.Equal(expected, Statistics.RegularizedIncompleteBeta(x, a, b), 13);
    }

    [Theory]
    [InlineData(-3.0)]
    [InlineData(-0.4)]
    [InlineData(0.0)]
    [InlineData(0.8)]
    [InlineData(2.5)]
    [InlineData(40.0)]
    public void Student_t_cdf_with_one_and_two_degrees_of_freedom_matches_closed_forms(double t)
    {
        Assert.Equal(0.5 + Math.Atan(t) / Math.PI, Statistics.StudentTCdf(t, 1), 13);
        Assert.Equal(0.5 + t / (2 * Math.Sqrt(2 + t * t)), Statistics.StudentTCdf(t, 2), 13);
    }

    [Theory] // quantiles of Student's t from standard tables
    [InlineData(2.228138851986, 10, 0.975)]
    [InlineData(1.697260886500, 30, 0.95)]
    [InlineData(4.032142983557, 5, 0.995)]
    [InlineData(1.983971518523, 100, 0.975)]
    [InlineData(12.706204736175, 1, 0.975)]
    public void Student_t_cdf_matches_table_quantiles(double t, double df, double probability)
    {
        Assert.Equal(probability, Statistics.StudentTCdf(t, df), 9);
        Assert.Equal(1 - probability, Statistics.StudentTCdf(-t, df), 9);
        Assert.Equal(2 * (1 - probability), Statistics.StudentTTwoSidedP(t, df), 9);
    }

    [Fact]
    public void Far_tail_p_values_keep_their_relative_precision()
    {
        // df = 1: P(|T| >= t) = 1 - 2 atan(t)/pi = 2 atan(1/t)/pi, about 6.4e-7 at t = 1e6.
        double p = Statistics.StudentTTwoSidedP(1e6, 1);
        Assert.Equal(2 * Math.Atan(1e-6) / Math.PI, p, 1e-18);
        Assert.InRange(Statistics.StudentTTwoSidedP(30, 198), 1e-80, 1e-60);
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
    public void Welch_test_on_constant_samples()
    {
        Assert.Equal(1.0, WelchTTest.Compare([1, 1, 1], [1, 1]).PValue);
        var different = WelchTTest.Compare([2, 2, 2], [1, 1]);
        Assert.Equal(0.0, different.PValue);
        Assert.Equal(1.0, different.Difference);
        Assert.Throws<ArgumentException>(() => WelchTTest.Compare([1], [1, 2]));
    }
}
