using ClvPortal.Core.Features;

namespace ClvPortal.Core.Analytics;

/// <summary>
/// The dashboard's numbers, computed from the <see cref="CustomerLedger"/> (one entry per
/// customer-day) rather than from rows: cheap even for files of millions of rows.
/// </summary>
public static class DashboardCalculator
{
    /// <param name="observationEnd">Days after it are left out, as in the features. Default: every day in the ledger.</param>
    /// <param name="topCustomers">How many customers the top list holds.</param>
    /// <param name="forecast">The models' predictions, to continue the cohort curves over the horizon; null for actual revenue only.</param>
    public static DashboardAggregates Compute(CustomerLedger ledger, DateOnly? observationEnd = null, int topCustomers = 20, CohortForecast? forecast = null)
    {
        var end = observationEnd?.DayNumber ?? int.MaxValue;
        var period = ledger.FirstDate is { } firstDate && (observationEnd ?? ledger.LastDate) is { } lastDate ? new DataPeriod(firstDate, lastDate) : null;
        var cohorts = period is null ? null : new CohortCalculator(period.To, forecast);
        var months = new SortedDictionary<int, MonthTotals>();
        var countries = new Dictionary<string, (double Revenue, int Customers)>(StringComparer.OrdinalIgnoreCase);
        var anyCountry = false;
        var top = new PriorityQueue<TopCustomer, double>();
        var hasInvoices = ledger.HasInvoices;

        foreach (var account in ledger.Accounts)
        {
            cohorts?.Add(account);
            var revenue = 0.0;
            var orders = 0;
            var firstMonth = -1;
            var lastCountedMonth = -1;
            foreach (var day in account.Days)
            {
                if (day.Day > end)
                {
                    break;
                }

                var date = DateOnly.FromDayNumber(day.Day);
                var month = (date.Year * 12) + date.Month - 1;
                var totals = months.TryGetValue(month, out var existing) ? existing : months[month] = new MonthTotals();
                totals.Revenue += day.Revenue;
                revenue += day.Revenue;
                if (!day.Purchase)
                {
                    continue;
                }

                var dayOrders = hasInvoices ? day.Orders : 1;
                totals.Orders += dayOrders;
                orders += dayOrders;
                if (month != lastCountedMonth)
                {
                    // Days are sorted, so the first purchase month comes first and each month is counted once.
                    if (firstMonth < 0)
                    {
                        firstMonth = month;
                        totals.NewCustomers++;
                    }
                    else
                    {
                        totals.ReturningCustomers++;
                    }

                    lastCountedMonth = month;
                }
            }

            if (firstMonth < 0)
            {
                continue;
            }

            top.Enqueue(new TopCustomer(account.Id, revenue, orders), revenue);
            if (top.Count > topCustomers)
            {
                top.Dequeue();
            }

            if (account.Country is { Length: > 0 } country)
            {
                anyCountry = true;
                var (sum, customers) = countries.GetValueOrDefault(country);
                countries[country] = (sum + revenue, customers + 1);
            }
        }

        var monthly = months.Select(m => new MonthlyPoint(
            m.Key / 12,
            (m.Key % 12) + 1,
            m.Value.Revenue,
            m.Value.Orders,
            m.Value.Orders == 0 ? 0 : m.Value.Revenue / m.Value.Orders,
            m.Value.NewCustomers,
            m.Value.ReturningCustomers)).ToList();

        var best = new List<TopCustomer>(top.Count);
        while (top.TryDequeue(out var customer, out _))
        {
            best.Add(customer);
        }

        best.Reverse();
        var byCountry = anyCountry
            ? countries.Select(c => new CountryRevenue(c.Key, c.Value.Revenue, c.Value.Customers)).OrderByDescending(c => c.Revenue).ToList()
            : [];
        return new DashboardAggregates(monthly, best, byCountry) { Period = period, Cohorts = cohorts?.Build() };
    }

    private sealed class MonthTotals
    {
        public double Revenue;
        public int Orders;
        public int NewCustomers;
        public int ReturningCustomers;
    }
}
