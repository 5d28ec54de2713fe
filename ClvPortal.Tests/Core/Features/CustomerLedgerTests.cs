using ClvPortal.Core.Cleaning;
using ClvPortal.Core.Features;

namespace ClvPortal.Tests.Core.Features;

public sealed class CustomerLedgerTests
{
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
}
