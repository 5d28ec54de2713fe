using ClvPortal.Core.Models;

namespace ClvPortal.Tests.Core.Models;

[Trait("Category", "Unit")]
public sealed class BacktestMetricsTests
{
    [Fact]
    public void NormalizedGini_PerfectRanking_IsOne()
    {
        double[] actual = [0, 5, 1, 20, 3, 0, 7];

        Assert.Equal(1.0, BacktestMetrics.NormalizedGini([.. actual.Select(a => (2 * a) + 1)], actual), 1e-12);
    }

    [Fact]
    public void NormalizedGini_HandComputedCase_IsPointSix()
    {
        // Sorted by prediction the actual values read 10, 0, 5, 5 of 20: cumulative shares .5 .5 .75 1,
        // raw Gini 2·0.6875 - 1 = 0.375; the perfect order 10, 5, 5, 0 gives .5 .75 1 1, raw 0.625.
        Assert.Equal(0.6, BacktestMetrics.NormalizedGini([4, 3, 2, 1], [10, 0, 5, 5]), 1e-12);
    }

    [Fact]
    public void NormalizedGini_ConstantPrediction_DoesNotDependOnInputOrder()
    {
        var forward = BacktestMetrics.NormalizedGini([1, 1, 1, 1], [10, 0, 5, 5]);
        var backward = BacktestMetrics.NormalizedGini([1, 1, 1, 1], [5, 5, 0, 10]);

        Assert.Equal(forward, backward, 1e-12);
        Assert.True(forward < 0.6, "a constant prediction must not look like a ranking");
    }

    [Fact]
    public void NormalizedGini_AllZeroActual_IsNaN()
    {
        Assert.True(double.IsNaN(BacktestMetrics.NormalizedGini([1, 2], [0, 0])));
    }

    [Fact]
    public void Spearman_MonotoneButNonlinear_IsOne()
    {
        Assert.Equal(1.0, BacktestMetrics.Spearman([1, 2, 3, 4], [1, 10, 100, 1000]), 1e-12);
    }

    [Fact]
    public void Spearman_TiesGetAverageRanks_MatchesHandComputedValue()
    {
        // Ranks 4 3 2 1 against 4 1 2.5 2.5: covariance 1.5, variances 5 and 4.5, so 1/√10.
        Assert.Equal(1 / Math.Sqrt(10), BacktestMetrics.Spearman([4, 3, 2, 1], [10, 0, 5, 5]), 1e-12);
    }

    [Fact]
    public void Evaluate_TenPercentOverPrediction_GivesDecileMapeAndTotalErrorOfTenPercent()
    {
        double[] actual = [.. Enumerable.Range(1, 50).Select(i => (double)i)];
        double[] predicted = [.. actual.Select(a => a * 1.1)];

        var backtest = BacktestMetrics.Evaluate("test", predicted, actual);

        Assert.Equal(10, backtest.Deciles.Count);
        Assert.Equal(1, backtest.Deciles[0].Decile);
        Assert.Equal(48, backtest.Deciles[0].MeanActual, 1e-12); // top decile: 50, 49, 48, 47, 46
        Assert.Equal(0.1, backtest.DecileMape, 1e-12);
        Assert.Equal(0.1, backtest.TotalRevenueError, 1e-12);
        Assert.Equal(2.55, backtest.MeanAbsoluteError, 1e-12); // 0.1 · mean(1..50)
        Assert.Equal(1.0, backtest.NormalizedGini, 1e-12);
        Assert.Equal(1.0, backtest.Spearman, 1e-12);
    }

    [Fact]
    public void Evaluate_ErrorsCancelInTotal_ReportsMaeButNoTotalError()
    {
        var backtest = BacktestMetrics.Evaluate("test", [2, 2], [1, 3]);

        Assert.Equal(1.0, backtest.MeanAbsoluteError, 1e-12);
        Assert.Equal(0.0, backtest.TotalRevenueError, 1e-12);
    }
}
