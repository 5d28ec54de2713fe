namespace ClvPortal.Core.Models;

/// <summary>CLV from BG/NBD purchases and a Gamma-Gamma value, discounted month by month.</summary>
public static class ProbabilisticClv
{
    /// <summary>Average days in a month (365.25 / 12), the month length used for day-based data.</summary>
    public const double DaysPerMonth = 365.25 / 12;

    /// <summary>Average weeks in a month (365.25 / 12 / 7).</summary>
    public const double WeeksPerMonth = DaysPerMonth / 7;

    /// <summary>
    /// CLV over <paramref name="months"/> months as lifetimes' <c>customer_lifetime_value</c> computes
    /// it: for each month i, the expected purchases in that month (E[Y(i·u)] - E[Y((i-1)·u)], u =
    /// <paramref name="unitsPerMonth"/>) times the expected value, divided by (1 + d)^i. With d = 0
    /// this is E[Y(months·u)] × value. lifetimes uses 30 units per month for days and 4.345 for weeks;
    /// ClvPortal uses <see cref="DaysPerMonth"/> and <see cref="WeeksPerMonth"/>.
    /// </summary>
    public static double CustomerLifetimeValue(
        BgNbdParameters purchases, double expectedValue, int frequency, double recency, double age,
        int months, double unitsPerMonth, double monthlyDiscountRate)
    {
        ArgumentNullException.ThrowIfNull(purchases);
        ArgumentOutOfRangeException.ThrowIfNegative(months);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(unitsPerMonth);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(monthlyDiscountRate, -1);
        if (monthlyDiscountRate == 0)
        {
            return expectedValue * purchases.ConditionalExpectedPurchases(months * unitsPerMonth, frequency, recency, age);
        }

        var clv = 0.0;
        var previous = 0.0;
        for (var i = 1; i <= months; i++)
        {
            var cumulative = purchases.ConditionalExpectedPurchases(i * unitsPerMonth, frequency, recency, age);
            clv += expectedValue * (cumulative - previous) / Math.Pow(1 + monthlyDiscountRate, i);
            previous = cumulative;
        }

        return clv;
    }
}
