using ClvPortal.Core.Models;

namespace ClvPortal.Core.Analytics;

/// <summary>
/// When within a horizon a customer's predicted CLV is spent: the share of the horizon's expected purchases made
/// by each time, E[Y(t)] / E[Y(horizon)] for the customer's (x, t_x, T) (FHL 2005 eq. 10). Customers likely to
/// have left make their few purchases early, so early periods weigh more than late ones. The cohort curves and the
/// track record both spread the headline CLV this way.
/// </summary>
internal static class PurchaseTiming
{
    /// <summary>
    /// Fills <paramref name="shares"/>[j] with the share of the expected purchases in the next <paramref name="horizon"/>
    /// units made by <paramref name="times"/>[j] units after the end of the data. Evenly by time (t / horizon) without
    /// a BG/NBD fit or when it expects no purchase at all, so the CLV is never lost.
    /// </summary>
    public static void Fill(BgNbdParameters? purchases, double horizon, int frequency, double recency, double age, ReadOnlySpan<double> times, Span<double> shares)
    {
        var whole = purchases?.ConditionalExpectedPurchases(horizon, frequency, recency, age) ?? double.NaN;
        var byModel = double.IsFinite(whole) && whole > 0;
        for (var j = 0; j < times.Length; j++)
        {
            shares[j] = byModel
                ? purchases!.ConditionalExpectedPurchases(times[j], frequency, recency, age) / whole
                : times[j] / horizon;
        }
    }
}
