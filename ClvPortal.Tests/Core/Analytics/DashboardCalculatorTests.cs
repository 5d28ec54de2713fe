using ClvPortal.Core.Analytics;
using ClvPortal.Core.Cleaning;
using ClvPortal.Core.Features;
using ClvPortal.Tests.Core.Features;

namespace ClvPortal.Tests.Core.Analytics;

[Trait("Category", "Unit")]
public sealed class DashboardCalculatorTests
{
    private static CustomerLedger Ledger(IEnumerable<Transaction> transactions) => Ledgers.Of(transactions);

    private static Transaction Buy(string customer, int month, int day, double amount, string invoice, string? country = "United Kingdom") =>
        new(customer, new DateTime(2011, month, day), amount, invoice, country);

    [Fact]
    public void Compute_TwoMonths_SplitsNewFromReturningCustomersAndNetsReturns()
    {
        var aggregates = DashboardCalculator.Compute(Ledger(
        [
            Buy("a", 1, 3, 100, "1"), Buy("a", 1, 3, 20, "1"), Buy("b", 1, 9, 50, "2", "France"),
            Buy("a", 2, 1, 30, "3"), Buy("a", 2, 2, -10, "C4"), Buy("c", 2, 5, 60, "5"),
        ]));

        Assert.Collection(aggregates.Monthly,
            jan => Assert.Equal(new MonthlyPoint(2011, 1, 170, 2, 85, 2, 0), jan),
            feb => Assert.Equal(new MonthlyPoint(2011, 2, 80, 2, 40, 1, 1), feb));
        Assert.Equal(["a", "c", "b"], aggregates.TopCustomers.Select(c => c.CustomerId));
        Assert.Equal(new TopCustomer("a", 140, 2), aggregates.TopCustomers[0]);
        Assert.Equal(new CountryRevenue("United Kingdom", 200, 2), aggregates.Countries[0]);
        Assert.Equal(new CountryRevenue("France", 50, 1), aggregates.Countries[1]);
    }

    [Fact]
    public void Compute_NoCountryColumn_HasNoCountryBreakdown()
    {
        var aggregates = DashboardCalculator.Compute(Ledger([Buy("a", 1, 3, 100, "1", country: null)]));

        Assert.Empty(aggregates.Countries);
    }

    [CdnowFact]
    public void Compute_Cdnow_MonthlyRevenueAddsUpAndEveryCustomerIsNewOnce()
    {
        var transactions = Cdnow.Load();

        var aggregates = DashboardCalculator.Compute(Ledger(transactions), topCustomers: 10);

        // CDNOW runs from January 1997 to June 1998: 18 months; its 23,570 customers all joined in 1997-Q1.
        Assert.Equal(18, aggregates.Monthly.Count);
        Assert.Equal(transactions.Sum(t => t.Amount), aggregates.Monthly.Sum(m => m.Revenue), 3);
        Assert.Equal(23_570, aggregates.Monthly.Sum(m => m.NewCustomers));
        Assert.Equal(23_570, aggregates.Monthly.Take(3).Sum(m => m.NewCustomers));
        Assert.Equal(10, aggregates.TopCustomers.Count);
        var best = transactions.GroupBy(t => t.CustomerId).Max(g => g.Sum(t => t.Amount));
        Assert.Equal(best, aggregates.TopCustomers[0].Revenue, 6);
    }
}
