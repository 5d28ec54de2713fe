using ClvPortal.Core.Analytics;
using ClvPortal.Core.Cleaning;
using ClvPortal.Core.Features;
using ClvPortal.Core.Models;
using ClvPortal.Tests.Core.Features;

namespace ClvPortal.Tests.Core.Analytics;

[Trait("Category", "Unit")]
public sealed class CohortCalculatorTests
{
    private static CustomerLedger Ledger(IEnumerable<Transaction> transactions) => Ledgers.Of(transactions);

    private static Transaction Buy(string customer, int year, int month, int day, double amount) =>
        new(customer, new DateTime(year, month, day), amount, null, null);

    /// <summary>
    /// Four customers over three months of 2024. By hand: January's cohort (a, b) spends 100 + 40 in its first
    /// month (70 each), a buys 50 more in February (95 each) and returns 20 in March (85 each); February's (c)
    /// 30, then 30 + 10 in March; March's (d) returned 5 before buying 60, which counts in its first month (55).
    /// </summary>
    private static readonly Transaction[] ThreeMonths =
    [
        Buy("a", 2024, 1, 5, 100), Buy("b", 2024, 1, 20, 40), Buy("a", 2024, 2, 10, 50), Buy("c", 2024, 2, 2, 30),
        Buy("d", 2024, 2, 3, -5), Buy("a", 2024, 3, 1, -20), Buy("d", 2024, 3, 3, 60), Buy("c", 2024, 3, 15, 30), Buy("c", 2024, 3, 16, 10),
    ];

    [Fact]
    public void Compute_WholeMonths_CumulatesRevenuePerCustomerByMonthsSinceFirstOrder()
    {
        var table = CohortCalculator.Compute(Ledger(ThreeMonths), new DateOnly(2024, 3, 31));

        Assert.Equal(CohortGrouping.Month, table.Grouping);
        Assert.Equal([new DateOnly(2024, 1, 1), new DateOnly(2024, 2, 1), new DateOnly(2024, 3, 1)], table.Cohorts.Select(c => c.Start));
        Assert.Equal([2, 1, 1], table.Cohorts.Select(c => c.Customers));
        Assert.Equal([70, 95, 85], table.Cohorts[0].Actual);
        Assert.Equal([30, 70], table.Cohorts[1].Actual);
        Assert.Equal([55], table.Cohorts[2].Actual);
        Assert.Equal([3, 2, 1], table.Cohorts.Select(c => c.CompleteMonths));
        Assert.All(table.Cohorts, c => Assert.Empty(c.Predicted));
    }

    [Fact]
    public void Compute_DataEndsMidMonth_LeavesOutLaterDaysAndMarksTheLastMonthIncomplete()
    {
        var table = CohortCalculator.Compute(Ledger(ThreeMonths), new DateOnly(2024, 3, 15));

        // c's 10 on 16 March is after the end; March has 15 days of data, so no cohort has March complete.
        Assert.Equal([85, 30 + 30, 55], table.Cohorts.Select(c => c.Actual[^1]));
        Assert.Equal([2, 1, 0], table.Cohorts.Select(c => c.CompleteMonths));
    }

    [Theory]
    [InlineData(10, CohortGrouping.Month)]
    [InlineData(40, CohortGrouping.Quarter)]
    [InlineData(60, CohortGrouping.Year)]
    public void Compute_RandomTransactions_MatchesAStraightforwardRecomputation(int months, CohortGrouping grouping)
    {
        var random = new Random(months);
        var first = new DateOnly(2020, 1, 1);
        var end = first.AddMonths(months).AddDays(-3); // ends mid-month
        var transactions = new List<Transaction>();
        for (var c = 0; c < 400; c++)
        {
            for (var p = random.Next(1, 6); p > 0; p--)
            {
                var day = first.AddDays(random.Next(0, end.DayNumber - first.DayNumber + 30)); // some after the end
                var amount = random.NextDouble() < 0.1 ? -random.Next(1, 50) : random.Next(1, 500);
                transactions.Add(new Transaction($"c{c}", day.ToDateTime(TimeOnly.MinValue), amount, null, null));
            }
        }

        var table = CohortCalculator.Compute(Ledger(transactions), end);

        // The same numbers the long way: per customer, the first month with a purchase, then per group and age
        // the mean of each customer's revenue up to the end of that age (earlier returns count in month 0).
        static int Month(DateTime d) => (d.Year * 12) + d.Month - 1;
        var endMonth = (end.Year * 12) + end.Month - 1;
        var step = grouping switch { CohortGrouping.Quarter => 3, CohortGrouping.Year => 12, _ => 1 };
        var customers = transactions.Where(t => DateOnly.FromDateTime(t.Date) <= end).GroupBy(t => t.CustomerId)
            .Where(g => g.Any(t => t.Amount >= 0))
            .Select(g => (First: g.Where(t => t.Amount >= 0).Min(t => Month(t.Date)), Rows: g.ToList()))
            .ToList();
        var expected = customers.GroupBy(c => c.First - (c.First % step)).OrderBy(g => g.Key).Select(g =>
        {
            var youngest = g.Min(c => endMonth - c.First);
            return (Start: g.Key, Customers: g.Count(), Actual: Enumerable.Range(0, youngest + 1)
                .Select(k => g.Average(c => c.Rows.Where(t => Month(t.Date) - c.First <= k).Sum(t => t.Amount))).ToArray());
        }).ToList();

        Assert.Equal(grouping, table.Grouping);
        Assert.Equal(expected.Count, table.Cohorts.Count);
        Assert.InRange(table.Cohorts.Count, 2, CohortCalculator.MaxCohorts);
        for (var i = 0; i < expected.Count; i++)
        {
            var cohort = table.Cohorts[i];
            Assert.Equal(new DateOnly(expected[i].Start / 12, (expected[i].Start % 12) + 1, 1), cohort.Start);
            Assert.Equal(expected[i].Customers, cohort.Customers);
            Assert.Equal(expected[i].Actual.Length, cohort.Actual.Count);
            Assert.All(expected[i].Actual.Zip(cohort.Actual), pair => Assert.Equal(pair.First, pair.Second, 9));
            Assert.Equal(cohort.Actual.Count - 1, cohort.CompleteMonths);
        }
    }

    [Fact]
    public void Compute_WithBgNbd_SpreadsEachClvByExpectedPurchasesAndEndsAtTheWholeClv()
    {
        // CDNOW's published BG/NBD in weeks (FHL 2005); the customers' histories in weeks as the fit reads them.
        var fit = new BgNbdParameters(0.243, 4.414, 0.793, 2.426);
        var forecast = new CohortForecast(
            new Dictionary<string, CohortMember>
            {
                ["a"] = new(120, 1, 5.3, 10.3),
                ["b"] = new(30, 0, 0, 8),
                ["c"] = new(60, 2, 4, 6),
                ["d"] = new(0, 0, 0, 1.7),
            },
            fit, DaysPerUnit: 7, HorizonMonths: 12);

        var table = CohortCalculator.Compute(Ledger(ThreeMonths), new DateOnly(2024, 3, 15), forecast);

        Assert.Equal(12, table.HorizonMonths);
        var (jan, feb, mar) = (table.Cohorts[0], table.Cohorts[1], table.Cohorts[2]);
        // From the last whole month (February for January's cohort) to 12 months after the data ends.
        Assert.Equal(jan.Actual.Count + 12 - jan.CompleteMonths, jan.Predicted.Count);
        // At the end of the horizon each cohort has added exactly its customers' CLV.
        Assert.Equal(85 + ((120 + 30) / 2.0), jan.Predicted[^1], 9);
        Assert.Equal(60 + 60, feb.Predicted[^1], 9);
        Assert.Equal(55, mar.Predicted[^1], 9);
        // c alone: 16 days of March are left (16/7 weeks), then April ends 46 days after the data.
        double Share(double days) => fit.ConditionalExpectedPurchases(days / 7, 2, 4, 6) / fit.ConditionalExpectedPurchases(12 * ProbabilisticClv.DaysPerMonth / 7, 2, 4, 6);
        Assert.Equal(60 + (60 * Share(16)), feb.Predicted[0], 9);
        Assert.Equal(60 + (60 * Share(46)), feb.Predicted[1], 9);
        Assert.True(Share(46) - Share(16) > Share(77) - Share(46), "BG/NBD expects fewer purchases each month as customers drop out");
        Assert.All(table.Cohorts, c => Assert.Equal(c.Predicted.Order(), c.Predicted));
    }

    [Fact]
    public void Compute_WithoutBgNbd_SpreadsTheClvEvenlyOverTime()
    {
        var forecast = new CohortForecast(new Dictionary<string, CohortMember> { ["c"] = new(60, 2, 4, 6) }, null, DaysPerUnit: 1, HorizonMonths: 6);

        var feb = CohortCalculator.Compute(Ledger(ThreeMonths), new DateOnly(2024, 3, 15), forecast).Cohorts[1];

        var horizonDays = 6 * ProbabilisticClv.DaysPerMonth;
        Assert.Equal(60 + (60 * 16 / horizonDays), feb.Predicted[0], 9);
        Assert.Equal(60 + (60 * (16 + 30 + 31) / horizonDays), feb.Predicted[2], 9);
        Assert.Equal(120, feb.Predicted[^1], 9);
    }

    [Theory]
    [InlineData(2011, 12, false, 9)] // the last month: Online Retail II ends on 9 December 2011
    [InlineData(2009, 12, true, 31)]  // the first month starts on the 1st
    [InlineData(2010, 2, true, 28)]
    public void DataPeriod_EndsMidMonth_MarksOnlyThatMonthPartial(int year, int month, bool whole, int days)
    {
        var period = new DataPeriod(new DateOnly(2009, 12, 1), new DateOnly(2011, 12, 9));

        Assert.Equal(!whole, period.IsPartial(year, month));
        Assert.Equal(days, period.DaysCovered(year, month));
    }

    [Fact]
    public void DataPeriod_StartsLate_MarksTheFirstMonthAndNothingOutside()
    {
        var period = new DataPeriod(new DateOnly(2024, 3, 20), new DateOnly(2024, 6, 30));

        Assert.True(period.IsPartial(2024, 3));
        Assert.Equal(12, period.DaysCovered(2024, 3));
        Assert.False(period.IsPartial(2024, 6));
        Assert.False(period.IsPartial(2024, 7));
        Assert.Equal(0, period.DaysCovered(2024, 7));
    }
}
