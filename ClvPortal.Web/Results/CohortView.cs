using System.Globalization;
using ClvPortal.Core.Analytics;
using ClvPortal.Core.Models;

namespace ClvPortal.Web.Results;

/// <summary>
/// How the results page shows cohort LTV and the period the data covers: the table's columns and cells, the
/// chart's series, and the sentences that say the same in words (the charts' text alternative).
/// </summary>
public sealed class CohortView(CohortTable table, DataPeriod? period)
{
    /// <summary>Months after the first order shown as columns: each month for monthly cohorts, each quarter or year for grouped ones.</summary>
    public IReadOnlyList<int> Columns { get; } = MonthColumns(table);

    public CohortTable Table => table;

    public bool HasForecast => table.HorizonMonths > 0 && table.Cohorts.Any(c => c.Predicted.Count > 0);

    /// <summary>The day the predicted curves reach: the end of the horizon after the end of the data.</summary>
    public DateOnly? ForecastEnd => HasForecast && period is not null ? period.To.AddDays((int)Math.Round(table.HorizonMonths * ProbabilisticClv.DaysPerMonth)) : null;

    /// <summary>What a cohort is: "month", "quarter" or "year" (of the first order).</summary>
    public string GroupingWord => table.Grouping switch { CohortGrouping.Quarter => "quarter", CohortGrouping.Year => "year", _ => "month" };

    /// <summary>"Mar 2024", "Q1 2024" or "2024".</summary>
    public string Label(Cohort cohort) => table.Grouping switch
    {
        CohortGrouping.Quarter => string.Create(CultureInfo.InvariantCulture, $"Q{((cohort.Start.Month - 1) / 3) + 1} {cohort.Start.Year}"),
        CohortGrouping.Year => cohort.Start.Year.ToString(CultureInfo.InvariantCulture),
        _ => cohort.Start.ToString("MMM yyyy", CultureInfo.InvariantCulture),
    };

    /// <summary>The cumulative revenue per customer in the first <paramref name="months"/> months, whether the last of them is incomplete, or null when not all of the cohort's customers have reached it.</summary>
    public (double Value, bool Partial)? Cell(Cohort cohort, int months) =>
        months <= cohort.Actual.Count ? (cohort.Actual[months - 1], months > cohort.CompleteMonths) : null;

    /// <summary>
    /// The chart's text in one sentence: what the biggest cohort with six whole months (or the oldest) spent
    /// per customer, and what it is expected to reach.
    /// </summary>
    public string? Summary(NumberFormats formats)
    {
        // The biggest cohort with six whole months speaks for the most customers; the most recent of equals.
        var cohort = table.Cohorts.Where(c => c.CompleteMonths >= 6).MaxBy(c => (c.Customers, c.Start)) ?? table.Cohorts.FirstOrDefault(c => c.CompleteMonths > 0);
        if (cohort is null)
        {
            return null;
        }

        var months = Math.Min(cohort.CompleteMonths, 6);
        var who = table.Grouping switch
        {
            CohortGrouping.Quarter => $"in {Label(cohort)}",
            CohortGrouping.Year => $"in {Label(cohort)}",
            _ => $"in {cohort.Start.ToString("MMMM yyyy", CultureInfo.InvariantCulture)}",
        };
        var sentence = $"Customers who first bought {who} spent {formats.Money2(cohort.Actual[months - 1])} each in their first {(months == 1 ? "month" : $"{months} months")}";
        if (cohort.Predicted.Count > 0 && ForecastEnd is { } until)
        {
            sentence += $", and are expected to reach {formats.Money2(cohort.Predicted[^1])} each by {until.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}";
        }

        return sentence + ".";
    }

    /// <summary>The chart's data: one solid series (whole months) and one dashed (predicted) per cohort, by months since the first order.</summary>
    public object ChartData()
    {
        var length = table.Cohorts.Select(c => Math.Max(c.Actual.Count, c.CompleteMonths + c.Predicted.Count)).DefaultIfEmpty(0).Max();
        return new
        {
            labels = Enumerable.Range(1, length),
            cohorts = table.Cohorts.Select(c => new
            {
                label = Label(c),
                actual = Enumerable.Range(0, length).Select(k => k < c.CompleteMonths ? Math.Round(c.Actual[k], 2) : (double?)null),
                predicted = c.Predicted.Count == 0 ? [] : Enumerable.Range(0, length).Select(k =>
                    k == c.CompleteMonths - 1 ? Math.Round(c.Actual[k], 2)
                    : k >= c.CompleteMonths && k - c.CompleteMonths < c.Predicted.Count ? Math.Round(c.Predicted[k - c.CompleteMonths], 2)
                    : (double?)null),
            }),
        };
    }

    /// <summary>"from 1 Dec 2009 to 9 Dec 2011".</summary>
    public static string? PeriodText(DataPeriod? period) => period is null
        ? null
        : $"from {period.From.ToString("d MMM yyyy", CultureInfo.InvariantCulture)} to {period.To.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}";

    /// <summary>A sentence for each month the data covers only in part (the first and the last), so a short month does not read as a collapse.</summary>
    public static IReadOnlyList<string> PartialMonthNotes(DataPeriod? period)
    {
        if (period is null)
        {
            return [];
        }

        var notes = new List<string>();
        foreach (var day in new[] { period.From, period.To }.DistinctBy(d => (d.Year, d.Month)))
        {
            if (period.IsPartial(day.Year, day.Month))
            {
                var days = period.DaysCovered(day.Year, day.Month);
                notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{day.ToString("MMMM yyyy", CultureInfo.InvariantCulture)} has data for only {days} of its {DateTime.DaysInMonth(day.Year, day.Month)} days, so its totals are lower than a whole month's (drawn dashed and lighter)."));
            }
        }

        return notes;
    }

    private static List<int> MonthColumns(CohortTable table)
    {
        var longest = table.Cohorts.Select(c => c.Actual.Count).DefaultIfEmpty(0).Max();
        var step = table.Grouping switch { CohortGrouping.Quarter => 3, CohortGrouping.Year => 12, _ => 1 };
        var columns = Enumerable.Range(1, longest / step).Select(i => i * step).ToList();
        if (longest % step != 0)
        {
            columns.Add(longest);
        }

        return columns;
    }
}
