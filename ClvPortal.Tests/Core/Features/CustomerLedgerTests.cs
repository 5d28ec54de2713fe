using ClvPortal.Core.Cleaning;
using ClvPortal.Core.Features;

namespace ClvPortal.Tests.Core.Features;

public sealed class CustomerLedgerTests
{
    [Trait("Category", "Slow")]
    [Fact]
    public void Add_ManyRowsForFewCustomerDays_KeepsOneEntryPerCustomerDay()
    {
        // Memory must follow customers and their purchase days, not rows: 200,000 rows of 10
        // customers on 30 days, in shuffled order, leave at most 300 entries.
        var random = new Random(3);
        var ledger = new CustomerLedger();
        var seen = new HashSet<(int, int)>();
        for (var i = 0; i < 200_000; i++)
        {
            var customer = random.Next(10);
            var day = random.Next(30);
            seen.Add((customer, day));
            ledger.Add(new Transaction($"c{customer}", new DateTime(2024, 1, 1).AddDays(day).AddMinutes(random.Next(1440)), 1, $"i{i / 20}", null));
        }

        Assert.Equal(10, ledger.Customers);
        Assert.Equal(seen.Count, ledger.CustomerDays);
        Assert.Equal(10_000, RfmCalculator.Compute(ledger, new FeatureOptions()).Sum(f => f.Orders));
    }

    [Trait("Category", "Unit")]
    [Fact]
    public void Add_EarlierDayArrivingWhenTheDaysAreFull_FeaturesStillRunInDateOrder()
    {
        // Two days fill the first array; the third, earlier day arrives as it is compacted and grown.
        // It must still count as the first purchase (files sorted by anything but date do this).
        var ledger = new CustomerLedger();
        ledger.Add(new Transaction("c", new DateTime(2024, 3, 1), 10, null, null));
        ledger.Add(new Transaction("c", new DateTime(2024, 6, 1), 20, null, null));
        ledger.Add(new Transaction("c", new DateTime(2024, 1, 1), 30, null, null));

        var customer = Assert.Single(RfmCalculator.Compute(ledger, new FeatureOptions()));

        Assert.Equal(new DateOnly(2024, 1, 1), customer.FirstPurchase);
        Assert.Equal(new DateOnly(2024, 6, 1), customer.LastPurchase);
        Assert.Equal(2, customer.Frequency);
        Assert.Equal(new DateOnly(2024, 6, 1).DayNumber - new DateOnly(2024, 1, 1).DayNumber, customer.Recency);
        Assert.Equal(15, customer.MonetaryValue);
    }
}
