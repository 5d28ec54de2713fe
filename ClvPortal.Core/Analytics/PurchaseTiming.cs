using ClvPortal.Core.Models;

namespace ClvPortal.Core.Analytics;

/// <summary>
/// When within a horizon a customer's predicted CLV is spent: the share of the horizon's expected purchases made
/// by each time, E[Y(t)] / E[Y(horizon)] for the customer's (x, t_x, T) (FHL 2005 eq. 10). Customers likely to
/// have left make their few purchases early, so early periods weigh more than late ones. The cohort curves and the
/// track record both spread the headline CLV this way, at times fixed for all customers.
/// <para>
/// In eq. 10 the factor with t_x is the same for E[Y(t)] and E[Y(horizon)], so the shares depend on (x, T) alone:
/// customers who share them (most one-time buyers of a day) share one computation, kept in a cache bounded to a
/// few MB for files with millions of distinct histories.
/// </para>
/// </summary>
/// <param name="purchases">The BG/NBD fit; null without one: the CLV is then spread evenly by time.</param>
/// <param name="horizon">The horizon, in the fit's time units after the end of the data.</param>
/// <param name="times">The times the shares are wanted at, in the same units.</param>
internal sealed class PurchaseTiming(BgNbdParameters? purchases, double horizon, double[] times)
{
    private const int MaxCached = 200_000;

    private readonly Dictionary<(int Frequency, double T), double[]> _cache = [];

    /// <summary>The share of the horizon's expected purchases made by each of the times, for a customer's (x, t_x, T).</summary>
    public double[] Shares(int frequency, double recency, double age)
    {
        if (_cache.TryGetValue((frequency, age), out var cached))
        {
            return cached;
        }

        var shares = new double[times.Length];
        Fill(frequency, recency, age, shares);
        if (_cache.Count < MaxCached)
        {
            _cache[(frequency, age)] = shares;
        }

        return shares;
    }

    /// <summary>
    /// Evenly by time (t / horizon) without a BG/NBD fit or when it expects no purchase at all, so the CLV is never lost.
    /// </summary>
    private void Fill(int frequency, double recency, double age, Span<double> shares)
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
