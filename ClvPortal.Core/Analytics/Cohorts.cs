namespace ClvPortal.Core.Analytics;

/// <summary>How customers are put into cohorts by the date of their first order.</summary>
public enum CohortGrouping
{
    Month,
    Quarter,
    Year,
}

/// <summary>
/// Cohort LTV, as Lifetimely and Peel show it: customers grouped by the month (or quarter, or year) of
/// their first order, and what they spent per customer, cumulated, by months since that first order;
/// with its predicted continuation over the horizon when the models ran.
/// </summary>
/// <param name="Grouping">Months while there are at most <see cref="CohortCalculator.MaxCohorts"/> of them, else quarters, else years.</param>
/// <param name="HorizonMonths">How many months after the end of the data the predicted continuation reaches (0 without a forecast).</param>
/// <param name="Cohorts">Oldest first.</param>
public sealed record CohortTable(CohortGrouping Grouping, int HorizonMonths, IReadOnlyList<Cohort> Cohorts);

/// <summary>
/// One cohort. Ages count calendar months since each customer's own first-order month: age 0 is that
/// month, age k ends on the last day of the k-th month after it. Revenue is net of returns.
/// </summary>
/// <param name="Start">First day of the cohort's first month (or quarter, or year).</param>
/// <param name="Customers">Customers whose first order fell in the cohort.</param>
/// <param name="Actual">
/// Cumulative revenue per customer up to the end of age k, for every age all of the cohort's customers
/// have reached (k = 0 .. the youngest customer's age at the end of the data). The last entry is partial
/// when the data ends before the end of its month: see <paramref name="CompleteMonths"/>.
/// </param>
/// <param name="CompleteMonths">How many leading entries of <paramref name="Actual"/> cover whole months for every customer.</param>
/// <param name="Predicted">
/// The curve continued with the models' predictions: entry j is age <paramref name="CompleteMonths"/> + j,
/// up to <see cref="CohortTable.HorizonMonths"/> months after the end of the data. Each value is what the
/// customers really spent up to the end of the data plus what they are predicted to spend from then to
/// the end of that age's month. Empty without a forecast.
/// </param>
public sealed record Cohort(DateOnly Start, int Customers, IReadOnlyList<double> Actual, int CompleteMonths, IReadOnlyList<double> Predicted);

/// <summary>The days the data covers: from the first transaction kept to the end of the observation window.</summary>
public sealed record DataPeriod(DateOnly From, DateOnly To)
{
    /// <summary>Days of the month that fall inside the period (0 when none).</summary>
    public int DaysCovered(int year, int month)
    {
        var first = new DateOnly(year, month, 1);
        var last = first.AddMonths(1).AddDays(-1);
        var from = first > From ? first : From;
        var to = last < To ? last : To;
        return Math.Max(0, to.DayNumber - from.DayNumber + 1);
    }

    /// <summary>
    /// Whether the period covers only part of the month: the data starts after its first day or ends before
    /// its last, so its totals are not comparable with whole months.
    /// </summary>
    public bool IsPartial(int year, int month)
    {
        var covered = DaysCovered(year, month);
        return covered > 0 && covered < DateTime.DaysInMonth(year, month);
    }
}
