using ClvPortal.Core.Cleaning;
using ClvPortal.Core.Features;

namespace ClvPortal.Tests.Core.Features;

[Trait("Category", "Unit")]
public sealed class RfmCalculatorTests
{
    private static Transaction Buy(string customer, string date, double amount, string? invoice = null) =>
        new(customer, DateTime.Parse(date, System.Globalization.CultureInfo.InvariantCulture), amount, invoice, null);

    private static Dictionary<string, CustomerFeatures> Features(IEnumerable<Transaction> transactions, FeatureOptions options)
    {
        var ledger = new CustomerLedger();
        foreach (var transaction in transactions)
        {
            ledger.Add(transaction);
        }

        return RfmCalculator.Compute(ledger, options).ToDictionary(f => f.CustomerId);
    }

    [Fact]
    public void Compute_SameDayPurchases_MergeIntoOneTransaction()
    {
        // lifetimes: summary_data_from_transaction_data sums same-period values, then drops the first period from the mean.
        var features = Features(
            [
                Buy("a", "2015-01-01 09:00", 10, "1"),
                Buy("a", "2015-01-05 09:00", 10, "2"),
                Buy("a", "2015-01-05 17:30", 5, "3"),
                Buy("a", "2015-01-08 12:00", 20, "4"),
                Buy("b", "2015-01-04 12:00", 7, "5"),
            ],
            new FeatureOptions { ObservationEnd = new DateOnly(2015, 1, 10) });

        var a = features["a"];
        Assert.Equal(2, a.Frequency);
        Assert.Equal(7, a.Recency);
        Assert.Equal(9, a.T);
        Assert.Equal(17.5, a.MonetaryValue, 9);
        Assert.Equal(45, a.TotalRevenue, 9);
        Assert.Equal(4, a.Orders);
        Assert.Equal(new DateOnly(2015, 1, 1), a.FirstPurchase);
        Assert.Equal(new DateOnly(2015, 1, 8), a.LastPurchase);
        Assert.Null(a.HoldoutPurchases);

        var b = features["b"];
        Assert.Equal((0, 0.0, 6.0, 0.0), (b.Frequency, b.Recency, b.T, b.MonetaryValue));
    }

    [Fact]
    public void Compute_NoObservationEnd_UsesLastDateInData()
    {
        var features = Features([Buy("a", "2015-01-01", 1), Buy("b", "2015-03-01", 1)], new FeatureOptions());

        Assert.Equal(59, features["a"].T);
        Assert.Equal(0, features["b"].T);
    }

    [Fact]
    public void Compute_NoInvoiceIds_CountsOrdersAsPurchaseDays()
    {
        var features = Features([Buy("a", "2015-01-01 09:00", 1), Buy("a", "2015-01-01 10:00", 1), Buy("a", "2015-01-02", 1)], new FeatureOptions());

        Assert.Equal(2, features["a"].Orders);
    }

    [Fact]
    public void Compute_Weeks_FloorsDatesToMondayWeeksLikeLifetimes()
    {
        // 2015-01-05 is a Monday, 2015-01-11 the Sunday of the same week: one transaction, as pandas' to_period('W').
        var features = Features(
            [Buy("a", "2015-01-05", 10), Buy("a", "2015-01-11", 10), Buy("a", "2015-01-12", 4)],
            new FeatureOptions { TimeUnit = TimeUnit.Weeks, ObservationEnd = new DateOnly(2015, 1, 25) });

        var a = features["a"];
        Assert.Equal(1, a.Frequency);
        Assert.Equal(1, a.Recency);
        Assert.Equal(2, a.T);
        Assert.Equal(4, a.MonetaryValue, 9);
    }

    [Fact]
    public void Compute_CalibrationEnd_SplitsFeaturesAndHoldoutTargetsAndSkipsNewCustomers()
    {
        var features = Features(
            [
                Buy("a", "2015-01-01", 10), Buy("a", "2015-01-20", 30),
                Buy("a", "2015-02-03", 5), Buy("a", "2015-02-03", 6), Buy("a", "2015-02-10", 7), Buy("a", "2015-03-10", 100),
                Buy("late", "2015-02-05", 50),
            ],
            new FeatureOptions { CalibrationEnd = new DateOnly(2015, 1, 31), ObservationEnd = new DateOnly(2015, 2, 28) });

        Assert.DoesNotContain("late", features.Keys);
        var a = features["a"];
        Assert.Equal(1, a.Frequency);
        Assert.Equal(19, a.Recency);
        Assert.Equal(30, a.T);
        Assert.Equal(40, a.TotalRevenue, 9);
        Assert.Equal(2, a.HoldoutPurchases);
        Assert.Equal(18, a.HoldoutRevenue!.Value, 9);
    }

    [Fact]
    public void Compute_ReturnOnADayWithoutPurchase_NetsAgainstTheEarlierTransaction()
    {
        var features = Features(
            [Buy("a", "2015-01-01", 10), Buy("a", "2015-01-10", 40), Buy("a", "2015-01-12", -15)],
            new FeatureOptions());

        var a = features["a"];
        Assert.Equal(1, a.Frequency);
        Assert.Equal(9, a.Recency);
        Assert.Equal(25, a.MonetaryValue, 9);
        Assert.Equal(35, a.TotalRevenue, 9);
        Assert.Equal(new DateOnly(2015, 1, 10), a.LastPurchase);
    }

    [Fact]
    public void Compute_UnsortedFile_GivesTheSameFeaturesAsSorted()
    {
        var random = new Random(7);
        var transactions = Enumerable.Range(0, 5_000)
            .Select(i => new Transaction($"c{i % 97}", new DateTime(2020, 1, 1).AddDays(random.Next(400)), random.Next(1, 100), $"i{i}", null))
            .ToList();
        var options = new FeatureOptions { TimeUnit = TimeUnit.Weeks, CalibrationEnd = new DateOnly(2020, 10, 1) };

        var sorted = Features(transactions.OrderBy(t => t.Date), options);
        var shuffled = Features(transactions.OrderBy(_ => random.Next()), options);

        Assert.Equal(sorted.Count, shuffled.Count);
        foreach (var (id, expected) in sorted)
        {
            var actual = shuffled[id];
            Assert.Equal(expected with { MonetaryValue = 0, TotalRevenue = 0, HoldoutRevenue = 0 }, actual with { MonetaryValue = 0, TotalRevenue = 0, HoldoutRevenue = 0 });
            Assert.Equal(expected.MonetaryValue, actual.MonetaryValue, 6);
            Assert.Equal(expected.TotalRevenue, actual.TotalRevenue, 6);
        }
    }
}
