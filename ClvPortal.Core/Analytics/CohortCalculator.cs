using ClvPortal.Core.Features;
using ClvPortal.Core.Models;

namespace ClvPortal.Core.Analytics;

/// <summary>
/// Builds the <see cref="CohortTable"/> customer by customer, inside <see cref="DashboardCalculator"/>'s one
/// pass over the ledger: each customer adds their cumulative revenue by months since their first order to
/// their cohort's sums, so the work is O(customer-days + customers × (months of data + horizon)).
/// <para>
/// The predicted continuation spreads each customer's headline CLV over the horizon by BG/NBD's expected
/// purchases: the share spent by a time t after the end of the data is E[Y(t)] / E[Y(horizon)] for that
/// customer's (x, t_x, T) (FHL 2005 eq. 10), so customers likely to have left add little, and early months
/// weigh more than late ones as customers drop out. Without a BG/NBD fit the CLV is spread evenly over time.
/// A cohort's predicted value at an age is then the mean, over its customers, of what each spent up to the
/// end of the data plus their share of the CLV up to the end of that age's month. A monthly cohort's last
/// point, the end of the horizon, adds exactly its customers' predicted CLV; in a quarter or a year, the
/// customers who joined earlier are a month or more further into their horizon at the same age.
/// </para>
/// </summary>
public sealed class CohortCalculator
{
    /// <summary>Most cohorts a table holds: with more first-order months, they are grouped into quarters, then years, so the chart stays readable.</summary>
    public const int MaxCohorts = 15;

    private readonly int _endMonth;
    private readonly bool _endMonthComplete;
    private readonly int _endDay;
    private readonly CohortForecast? _forecast;
    private readonly int _horizon;
    // Units after the end of the data at the end of each month 0..H after it (the last: the end of the horizon).
    private readonly double[] _profile;
    private readonly SortedDictionary<int, Group> _groups = [];
    private readonly PurchaseTiming? _timing;
    private double[] _monthly = new double[32];

    /// <param name="observationEnd">The last day of the data; later days are left out.</param>
    /// <param name="forecast">The models' predictions, to continue the curves; null for actual revenue only.</param>
    public CohortCalculator(DateOnly observationEnd, CohortForecast? forecast = null)
    {
        _endDay = observationEnd.DayNumber;
        _endMonth = MonthIndex(observationEnd);
        _endMonthComplete = observationEnd.Day == DateTime.DaysInMonth(observationEnd.Year, observationEnd.Month);
        _forecast = forecast;
        _horizon = forecast?.HorizonMonths ?? 0;
        _profile = new double[_horizon + 1];
        if (forecast is not null)
        {
            // The end of each month after the data, in the fit's units.
            var horizonDays = _horizon * ProbabilisticClv.DaysPerMonth;
            var monthEnds = new double[_horizon];
            for (var j = 0; j < _horizon; j++)
            {
                var monthEnd = new DateOnly(observationEnd.Year, observationEnd.Month, 1).AddMonths(j + 1).AddDays(-1);
                monthEnds[j] = Math.Min(monthEnd.DayNumber - _endDay, horizonDays) / forecast.DaysPerUnit;
            }

            _timing = new PurchaseTiming(forecast.Purchases, horizonDays / forecast.DaysPerUnit, monthEnds);
        }
    }

    /// <summary>Cohorts of the customers in a ledger, in a pass of their own (<see cref="DashboardCalculator"/> builds them inside its pass).</summary>
    public static CohortTable Compute(CustomerLedger ledger, DateOnly? observationEnd = null, CohortForecast? forecast = null)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        if ((observationEnd ?? ledger.LastDate) is not { } end)
        {
            return new CohortTable(CohortGrouping.Month, 0, []);
        }

        var calculator = new CohortCalculator(end, forecast);
        foreach (var account in ledger.Accounts)
        {
            calculator.Add(account);
        }

        return calculator.Build();
    }

    internal void Add(CustomerAccount account)
    {
        var days = account.Days;
        var firstMonth = -1;
        foreach (var day in days)
        {
            if (day.Day > _endDay)
            {
                break;
            }

            if (day.Purchase)
            {
                firstMonth = MonthIndex(DateOnly.FromDayNumber(day.Day));
                break;
            }
        }

        if (firstMonth < 0)
        {
            return;
        }

        var age = _endMonth - firstMonth;
        if (_monthly.Length <= age)
        {
            _monthly = new double[Math.Max(age + 1, _monthly.Length * 2)];
        }

        Array.Clear(_monthly, 0, age + 1);
        foreach (var day in days)
        {
            if (day.Day > _endDay)
            {
                break;
            }

            // A return before the first purchase counts in the first month.
            _monthly[Math.Max(0, MonthIndex(DateOnly.FromDayNumber(day.Day)) - firstMonth)] += day.Revenue;
        }

        var group = Group.For(_groups, firstMonth);
        group.Customers++;
        group.YoungestAge = Math.Min(group.YoungestAge, age);
        group.Reserve(age + _horizon + 1);
        var cumulative = 0.0;
        for (var k = 0; k <= age; k++)
        {
            cumulative += _monthly[k];
            group.Actual[k] += cumulative;
        }

        if (_forecast is null)
        {
            return;
        }

        // Spent to date, carried flat over the horizon; the prediction is added on top from the last month on.
        for (var j = 1; j <= _horizon; j++)
        {
            group.Actual[age + j] += cumulative;
        }

        if (Profile(account.Id))
        {
            for (var j = 0; j <= _horizon; j++)
            {
                group.Forecast[age + j] += _profile[j];
            }
        }
    }

    /// <summary>Fills <see cref="_profile"/> with the customer's predicted revenue from the end of the data to the end of each month after it.</summary>
    private bool Profile(string customerId)
    {
        if (!_forecast!.Customers.TryGetValue(customerId, out var outlook) || outlook.Clv == 0)
        {
            return false;
        }

        // The share of the horizon's expected purchases made by the end of each month; all of them by its end.
        var shares = _timing!.Shares(outlook.Frequency, outlook.Recency, outlook.T);
        for (var j = 0; j < _horizon; j++)
        {
            _profile[j] = outlook.Clv * shares[j];
        }

        _profile[_horizon] = outlook.Clv;

        return true;
    }

    /// <summary>
    /// The table of the customers added so far: monthly cohorts, merged into quarters (or years) when there
    /// are more than <see cref="MaxCohorts"/>. Cohort sums add up, so merging loses nothing but detail.
    /// </summary>
    public CohortTable Build()
    {
        var grouping = _groups.Count <= MaxCohorts ? CohortGrouping.Month
            : _groups.Keys.Select(m => m / 3).Distinct().Count() <= MaxCohorts ? CohortGrouping.Quarter
            : CohortGrouping.Year;
        var groups = _groups;
        if (grouping != CohortGrouping.Month)
        {
            groups = [];
            foreach (var (month, group) in _groups)
            {
                Group.For(groups, month - (month % (grouping == CohortGrouping.Quarter ? 3 : 12))).Merge(group);
            }
        }

        var cohorts = new List<Cohort>(groups.Count);
        foreach (var (start, group) in groups)
        {
            var n = (double)group.Customers;
            var youngest = group.YoungestAge;
            var complete = _endMonthComplete ? youngest + 1 : youngest;
            var actual = new double[youngest + 1];
            for (var k = 0; k <= youngest; k++)
            {
                actual[k] = group.Actual[k] / n;
            }

            var predicted = _forecast is null ? [] : new double[youngest + _horizon + 1 - complete];
            for (var j = 0; j < predicted.Length; j++)
            {
                predicted[j] = (group.Actual[complete + j] + group.Forecast[complete + j]) / n;
            }

            cohorts.Add(new Cohort(new DateOnly(start / 12, (start % 12) + 1, 1), group.Customers, actual, complete, predicted));
        }

        return new CohortTable(grouping, _horizon, cohorts);
    }

    private static int MonthIndex(DateOnly date) => (date.Year * 12) + date.Month - 1;

    private sealed class Group
    {
        public int Customers;
        public int YoungestAge = int.MaxValue;
        public double[] Actual = [];
        public double[] Forecast = [];

        public static Group For(SortedDictionary<int, Group> groups, int start)
        {
            if (!groups.TryGetValue(start, out var group))
            {
                groups[start] = group = new Group();
            }

            return group;
        }

        public void Merge(Group other)
        {
            Customers += other.Customers;
            YoungestAge = Math.Min(YoungestAge, other.YoungestAge);
            Reserve(other.Actual.Length);
            for (var k = 0; k < other.Actual.Length; k++)
            {
                Actual[k] += other.Actual[k];
                Forecast[k] += other.Forecast[k];
            }
        }

        public void Reserve(int length)
        {
            if (Actual.Length < length)
            {
                Array.Resize(ref Actual, length);
                Array.Resize(ref Forecast, length);
            }
        }
    }
}
