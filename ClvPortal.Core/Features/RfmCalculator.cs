namespace ClvPortal.Core.Features;

/// <summary>Which window and unit to compute features in. Every default is what most analyses want.</summary>
public sealed record FeatureOptions
{
    /// <summary>Default days; CDNOW-style analyses use weeks.</summary>
    public TimeUnit TimeUnit { get; init; } = TimeUnit.Days;

    /// <summary>End of the observation window (inclusive). Default null: the last date in the data.</summary>
    public DateOnly? ObservationEnd { get; init; }

    /// <summary>
    /// End of the calibration window (inclusive). Default null: no split. When set, features come
    /// from the calibration window only, holdout targets from the days after it up to the
    /// observation end, and only customers who bought in the calibration window are returned.
    /// </summary>
    public DateOnly? CalibrationEnd { get; init; }
}

/// <summary>
/// RFM features in the definitions of <c>lifetimes</c> (summary_data_from_transaction_data and
/// calibration_and_holdout_data), so results compare one to one with it.
/// <para>
/// Periods are what lifetimes' pandas <c>to_period(freq)</c> makes of a date: the day, or the
/// Monday-to-Sunday week ('W' = 'W-SUN') with <see cref="TimeUnit.Weeks"/>. Purchases in the same
/// period are one transaction; recency and T count whole periods between period starts, so in weeks
/// they are integers (lifetimes' freq='W'). <see cref="TimeUnit.ContinuousWeeks"/> gives Fader and
/// Hardie's fractional weeks, days / 7, as lifetimes does with freq='D', freq_multiplier=7. Holdout purchases count the distinct periods
/// with a purchase dated after the calibration end, as lifetimes' frequency_holdout does.
/// </para>
/// <para>
/// Netted returns: a day with only returns is not a transaction; its (negative) value is added to
/// the customer's latest earlier transaction (or the first one, when it comes before any), so
/// monetary value and revenue are net of what came back.
/// </para>
/// </summary>
public static class RfmCalculator
{
    public static IReadOnlyList<CustomerFeatures> Compute(CustomerLedger ledger, FeatureOptions options)
    {
        var results = new List<CustomerFeatures>(ledger.Customers);
        if (ledger.LastDate is not { } lastDate)
        {
            return results;
        }

        var observationEnd = (options.ObservationEnd ?? lastDate).DayNumber;
        var windowEnd = options.CalibrationEnd is { } cal ? Math.Min(cal.DayNumber, observationEnd) : observationEnd;
        var weeks = options.TimeUnit == TimeUnit.Weeks;
        // Continuous weeks count days (same-day purchases merged) and divide recency and T by 7.
        var scale = options.TimeUnit == TimeUnit.ContinuousWeeks ? 1 / 7.0 : 1;
        var endPeriod = Period(windowEnd, weeks);
        var hasInvoices = ledger.HasInvoices;
        var periods = new List<(int Period, double Value, bool Purchase)>();

        foreach (var account in ledger.Accounts)
        {
            periods.Clear();
            var orders = 0;
            var purchaseDays = 0;
            var revenue = 0.0;
            int? firstDay = null;
            var lastDay = 0;
            var holdoutPurchases = 0;
            var holdoutRevenue = 0.0;
            var lastHoldoutPeriod = int.MinValue;

            foreach (var day in account.Days)
            {
                if (day.Day > windowEnd)
                {
                    if (day.Day <= observationEnd)
                    {
                        holdoutRevenue += day.Revenue;
                        var holdoutPeriod = Period(day.Day, weeks);
                        if (day.Purchase && holdoutPeriod != lastHoldoutPeriod)
                        {
                            holdoutPurchases++;
                            lastHoldoutPeriod = holdoutPeriod;
                        }
                    }

                    continue;
                }

                revenue += day.Revenue;
                if (day.Purchase)
                {
                    orders += hasInvoices ? day.Orders : 1;
                    purchaseDays++;
                    firstDay ??= day.Day;
                    lastDay = day.Day;
                }

                var period = Period(day.Day, weeks);
                if (periods.Count > 0 && periods[^1].Period == period)
                {
                    var last = periods[^1];
                    periods[^1] = (period, last.Value + day.Revenue, last.Purchase || day.Purchase);
                }
                else
                {
                    periods.Add((period, day.Revenue, day.Purchase));
                }
            }

            if (firstDay is not { } first)
            {
                // No purchase in the window (not yet a customer, or only returns): lifetimes has no row either.
                continue;
            }

            var (frequency, recency, monetary) = Summarize(periods);
            var t = (endPeriod - Period(first, weeks)) * scale;
            var split = options.CalibrationEnd is not null;
            results.Add(new CustomerFeatures(
                account.Id,
                frequency,
                recency * scale,
                t,
                monetary,
                revenue,
                orders,
                DateOnly.FromDayNumber(first),
                DateOnly.FromDayNumber(lastDay),
                split ? holdoutPurchases : null,
                split ? holdoutRevenue : null)
            {
                PurchaseDays = purchaseDays,
                Contact = account.Contact,
            });
        }

        return results;
    }

    /// <summary>The lifetimes period number of a day: days since 0001-01-01, or weeks, which start on Monday as that day did.</summary>
    internal static int Period(int dayNumber, bool weeks) => weeks ? dayNumber / 7 : dayNumber;

    private static (int Frequency, double Recency, double Monetary) Summarize(List<(int Period, double Value, bool Purchase)> periods)
    {
        // Fold return-only periods into the latest earlier purchase period (or the first one).
        var firstPurchase = -1;
        var lastPurchase = -1;
        var carried = 0.0;
        for (var i = 0; i < periods.Count; i++)
        {
            var (period, value, purchase) = periods[i];
            if (!purchase)
            {
                if (lastPurchase >= 0)
                {
                    var target = periods[lastPurchase];
                    periods[lastPurchase] = (target.Period, target.Value + value, true);
                }
                else
                {
                    carried += value;
                }

                continue;
            }

            if (firstPurchase < 0)
            {
                firstPurchase = i;
                periods[i] = (period, value + carried, true);
            }

            lastPurchase = i;
        }

        var transactions = 0;
        var repeatValue = 0.0;
        foreach (var (_, value, purchase) in periods)
        {
            if (!purchase)
            {
                continue;
            }

            if (transactions > 0)
            {
                repeatValue += value;
            }

            transactions++;
        }

        var frequency = transactions - 1;
        var recency = periods[lastPurchase].Period - periods[firstPurchase].Period;
        return (frequency, recency, frequency == 0 ? 0 : repeatValue / frequency);
    }
}
