using ClvPortal.Core.Features;

namespace ClvPortal.Core.Models;

/// <summary>Value tiers by predicted-CLV percentile and churn levels from the probability of no purchase.</summary>
public static class CustomerSegments
{
    /// <summary>
    /// Tier of every customer by rank of predicted CLV, highest first: a customer at 0-based rank i of n
    /// sits at percentile i / n; below 1% is <see cref="ValueTier.Top1"/>, then 5%, 10%, 25%, 50%,
    /// and the rest <see cref="ValueTier.Bottom50"/>. Equal CLVs share the tier of the first of them,
    /// so two customers with the same value never land in different tiers.
    /// </summary>
    public static ValueTier[] Tiers(IReadOnlyList<double> clv)
    {
        ArgumentNullException.ThrowIfNull(clv);
        var n = clv.Count;
        var order = Enumerable.Range(0, n).OrderByDescending(i => double.IsNaN(clv[i]) ? double.NegativeInfinity : clv[i]).ToArray();
        var tiers = new ValueTier[n];
        for (var rank = 0; rank < n; rank++)
        {
            var i = order[rank];
            tiers[i] = rank > 0 && clv[i] == clv[order[rank - 1]] ? tiers[order[rank - 1]] : TierAt((double)rank / n);
        }

        return tiers;
    }

    private static ValueTier TierAt(double percentile) => percentile switch
    {
        < 0.01 => ValueTier.Top1,
        < 0.05 => ValueTier.Top1To5,
        < 0.10 => ValueTier.Top5To10,
        < 0.25 => ValueTier.Top10To25,
        < 0.50 => ValueTier.Top25To50,
        _ => ValueTier.Bottom50,
    };

    /// <summary>
    /// Churn level from the probability of no purchase within the horizon: high from
    /// <paramref name="high"/> (default 0.8: four in five such customers buy nothing), medium from
    /// <paramref name="medium"/> (default 0.5: more likely not to buy than to buy), low below.
    /// </summary>
    public static ChurnLevel Churn(double probabilityNoPurchase, double medium = 0.5, double high = 0.8) =>
        probabilityNoPurchase >= high ? ChurnLevel.High : probabilityNoPurchase >= medium ? ChurnLevel.Medium : ChurnLevel.Low;

    /// <summary>The share of customers whose revenue so far or predicted CLV makes them "valuable" for the win-back list: the top quarter.</summary>
    public const double WinBackValueShare = 0.25;

    /// <summary>VIPs: the top 5% of predicted CLV (tiers "top 1%" and "top 1–5%"), the customers a shop most wants to keep.</summary>
    public static bool IsVip(ValueTier tier) => tier is ValueTier.Top1 or ValueTier.Top1To5;

    /// <summary>
    /// The win-back list, "valuable customers at risk": customers at high churn risk (see <see cref="Churn"/>) who are
    /// valuable, by the past or the forecast: revenue so far in the top quarter of all customers (ties included), or
    /// predicted CLV in the top quarter (tiers down to "top 10–25%"). The past counts on its own because a customer
    /// who stopped buying has a low prediction by definition, however much they spent. Returns the customer ids.
    /// </summary>
    public static HashSet<string> WinBack(IReadOnlyList<CustomerFeatures> customers, IReadOnlyList<CustomerPrediction> predictions)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(predictions);
        var list = new HashSet<string>(StringComparer.Ordinal);
        if (customers.Count == 0)
        {
            return list;
        }

        var revenue = customers.Select(c => c.TotalRevenue).OrderDescending().ToArray();
        var threshold = revenue[Math.Max(1, (int)Math.Ceiling(revenue.Length * WinBackValueShare)) - 1];
        var revenueOf = customers.ToDictionary(c => c.CustomerId, c => c.TotalRevenue, StringComparer.Ordinal);
        foreach (var p in predictions)
        {
            var valuable = p.Tier <= ValueTier.Top10To25 || (revenueOf.TryGetValue(p.CustomerId, out var r) && r > 0 && r >= threshold);
            if (p.ChurnLevel == ChurnLevel.High && valuable)
            {
                list.Add(p.CustomerId);
            }
        }

        return list;
    }
}
