using ClvPortal.Web.Analyses;

namespace ClvPortal.Tests.Web.Analyses;

[Trait("Category", "Unit")]
public sealed class ResultWriterTests
{
    [Fact]
    public void Histogram_CountsEveryCustomerOnce()
    {
        var values = Enumerable.Range(0, 1000).Select(i => (double)i).ToList();

        var bins = ResultWriter.Histogram(values);

        Assert.Equal(1000, bins.Sum(b => b.Customers));
        Assert.Equal(0, bins[0].From);
        Assert.Equal(999, bins[^1].To);
    }

    [Fact]
    public void Histogram_OneHugeOutlier_KeepsTheOthersSpreadOverTheBins()
    {
        // A whale customer must not squash 999 ordinary customers into the first bar.
        var values = Enumerable.Range(0, 999).Select(i => (double)i).Append(1_000_000).ToList();

        var bins = ResultWriter.Histogram(values);

        Assert.True(bins.Take(ResultWriter.HistogramBins).All(b => b.Customers < 100));
        Assert.Equal(1_000_000, bins[^1].To);
        Assert.Equal(1000, bins.Sum(b => b.Customers));
    }

    [Fact]
    public void Histogram_AllEqual_IsOneBin() =>
        Assert.Equal([new HistogramBinShape(5, 5, 3)], ResultWriter.Histogram([5, 5, 5]).Select(b => new HistogramBinShape(b.From, b.To, b.Customers)));

    [Fact]
    public void Histogram_NoCustomers_IsEmpty() => Assert.Empty(ResultWriter.Histogram([]));

    private sealed record HistogramBinShape(double From, double To, int Customers);
}
