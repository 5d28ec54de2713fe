using ClvPortal.Core.Analytics;
using ClvPortal.Core.Features;
using ClvPortal.Core.Models;

namespace ClvPortal.Tests.Core.Analytics;

[Trait("Category", "Unit")]
public sealed class ClvChartsTests
{
    [Fact]
    public void Histogram_HandCountedValues_PutsEachInItsBinAndTheTopOnePercentInAnExtraBin()
    {
        // 8 values: the 99th percentile is the value at index floor(0.99 × 7) = 6 of the sorted list, 20.
        // 20 bins of width (20 - 0) / 20 = 1 from 0 to 20; 20 itself closes the last bin; 500 gets a bin of its own.
        var bins = ClvCharts.Histogram([7, 0.5, 500, 3.2, 0, 20, 19.5, 3]);

        Assert.Equal(ClvCharts.HistogramBins + 1, bins.Count);
        Assert.Equal(new ClvBin(0, 1, 2), bins[0]);
        Assert.Equal(new ClvBin(3, 4, 2), bins[3]);
        Assert.Equal(new ClvBin(7, 8, 1), bins[7]);
        Assert.Equal(new ClvBin(19, 20, 2), bins[19]);
        Assert.Equal(new ClvBin(20, 500, 1), bins[20]);
        Assert.All(bins.Where((_, i) => i is not (0 or 3 or 7 or 19 or 20)), b => Assert.Equal(0, b.Customers));
    }

    [Fact]
    public void Histogram_NothingAboveTheNinetyNinthPercentile_HasNoExtraBin()
    {
        // floor(0.99 × 2) = 1: the 99th percentile is 20, the maximum, so both 20s close the last of the 20 bins.
        var bins = ClvCharts.Histogram([20, 0, 20]);

        Assert.Equal(ClvCharts.HistogramBins, bins.Count);
        Assert.Equal(new ClvBin(0, 1, 1), bins[0]);
        Assert.Equal(new ClvBin(19, 20, 2), bins[^1]);
    }

    [Fact]
    public void Histogram_ThousandCustomers_CountsEveryCustomerOnceFromLowestToHighest()
    {
        var bins = ClvCharts.Histogram(Enumerable.Range(0, 1000).Select(i => (double)i));

        Assert.Equal(1000, bins.Sum(b => b.Customers));
        Assert.Equal(0, bins[0].From);
        Assert.Equal(999, bins[^1].To);
    }

    [Fact]
    public void Histogram_OneHugeOutlier_KeepsTheOthersSpreadOverTheBins()
    {
        // A whale customer must not squash 999 ordinary customers into the first bar. The 99th percentile is the
        // value at index floor(0.99 × 999) = 989: 0..989 spread about 50 to a bin, 990..998 and the whale share the last.
        var bins = ClvCharts.Histogram(Enumerable.Range(0, 999).Select(i => (double)i).Append(1_000_000));

        Assert.All(bins.Take(ClvCharts.HistogramBins), b => Assert.InRange(b.Customers, 49, 51));
        Assert.Equal(new ClvBin(989, 1_000_000, 10), bins[^1]);
    }

    [Fact]
    public void Histogram_AllEqual_IsOneBin() => Assert.Equal([new ClvBin(5, 5, 3)], ClvCharts.Histogram([5, 5, 5]));

    [Fact]
    public void Histogram_NaNAndInfinity_AreLeftOut() =>
        Assert.Equal([new ClvBin(1, 1, 2)], ClvCharts.Histogram([double.NaN, 1, double.PositiveInfinity, 1]));

    [Fact]
    public void Histogram_NoCustomers_IsEmpty() => Assert.Empty(ClvCharts.Histogram([]));

    [Fact]
    public void Tiers_HandCountedCustomers_SumsTheirPredictedValueAndRevenuePerTierWithEveryTierListed()
    {
        List<CustomerFeatures> customers = [Customer("a", 50), Customer("b", 30), Customer("c", 10), Customer("d", 0)];
        List<CustomerPrediction> predictions =
        [
            Prediction("a", 100, ValueTier.Top1),
            Prediction("b", 40, ValueTier.Top1To5),
            Prediction("c", 5, ValueTier.Bottom50),
            Prediction("d", 1, ValueTier.Bottom50),
            Prediction("gone", 2, ValueTier.Bottom50), // no customer of that id: its revenue counts as 0
        ];
        var ranges = new Dictionary<ValueTier, ValueRange> { [ValueTier.Top1] = new(80, 120) };

        var tiers = ClvCharts.Tiers(customers, predictions, ranges);

        Assert.Equal(
            [
                new TierTotal(ValueTier.Top1, 1, 100, 50, new ValueRange(80, 120)),
                new TierTotal(ValueTier.Top1To5, 1, 40, 30, null),
                new TierTotal(ValueTier.Top5To10, 0, 0, 0, null),
                new TierTotal(ValueTier.Top10To25, 0, 0, 0, null),
                new TierTotal(ValueTier.Top25To50, 0, 0, 0, null),
                new TierTotal(ValueTier.Bottom50, 3, 8, 10, null),
            ],
            tiers);
    }

    [Fact]
    public void Tiers_NoPredictions_ListsEveryTierEmpty()
    {
        var tiers = ClvCharts.Tiers([Customer("a", 50)], []);

        Assert.Equal(Enum.GetValues<ValueTier>(), tiers.Select(t => t.Tier));
        Assert.All(tiers, t => Assert.Equal(new TierTotal(t.Tier, 0, 0, 0, null), t));
    }

    private static CustomerFeatures Customer(string id, double revenue) =>
        new(id, 0, 0, 10, 0, revenue, 1, new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 1));

    private static CustomerPrediction Prediction(string id, double clv, ValueTier tier) =>
        new(id, XgbClv: 0, ExpectedPurchases: 0, ProbabilityAlive: 1, ExpectedAverageValue: 0, ProbabilisticClv: 0, BaselineClv: 0, HeadlineClv: clv, Tier: tier, ChurnRisk: false);
}
