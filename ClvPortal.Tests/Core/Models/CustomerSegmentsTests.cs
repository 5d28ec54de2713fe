using ClvPortal.Core.Models;

namespace ClvPortal.Tests.Core.Models;

[Trait("Category", "Unit")]
public sealed class CustomerSegmentsTests
{
    [Fact]
    public void Tiers_TwoHundredDistinctValues_SplitAtPublishedPercentiles()
    {
        double[] clv = [.. Enumerable.Range(1, 200).Select(i => (double)i)];

        var tiers = CustomerSegments.Tiers(clv);

        Assert.Equal(2, tiers.Count(t => t == ValueTier.Top1));
        Assert.Equal(8, tiers.Count(t => t == ValueTier.Top1To5));
        Assert.Equal(10, tiers.Count(t => t == ValueTier.Top5To10));
        Assert.Equal(30, tiers.Count(t => t == ValueTier.Top10To25));
        Assert.Equal(50, tiers.Count(t => t == ValueTier.Top25To50));
        Assert.Equal(100, tiers.Count(t => t == ValueTier.Bottom50));
        Assert.Equal(ValueTier.Top1, tiers[199]);
        Assert.Equal(ValueTier.Bottom50, tiers[0]);
    }

    [Fact]
    public void Tiers_EqualValues_ShareOneTier()
    {
        // Half the customers are worth 0: they must all be Bottom50 or all be one tier, never split.
        double[] clv = [.. Enumerable.Range(0, 100).Select(i => i < 60 ? 0.0 : i)];

        var tiers = CustomerSegments.Tiers(clv);

        Assert.Single(tiers.Take(60).Distinct());
    }

    [Theory]
    [InlineData(0.2, ChurnLevel.Low)]
    [InlineData(0.5, ChurnLevel.Medium)]
    [InlineData(0.79, ChurnLevel.Medium)]
    [InlineData(0.8, ChurnLevel.High)]
    public void Churn_DefaultThresholds_SplitAtHalfAndFourInFive(double probabilityNoPurchase, ChurnLevel expected)
    {
        Assert.Equal(expected, CustomerSegments.Churn(probabilityNoPurchase));
    }
}
