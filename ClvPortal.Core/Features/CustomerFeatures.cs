namespace ClvPortal.Core.Features;

/// <summary>The unit that recency, T and horizons are measured in.</summary>
public enum TimeUnit
{
    Days,
    Weeks,
}

/// <summary>
/// One customer's RFM summary, in the definitions of the <c>lifetimes</c> library so results can be
/// compared with it: purchases on the same day are one transaction; <see cref="Frequency"/> counts
/// repeat transactions; <see cref="Recency"/> is first-to-last purchase; <see cref="T"/> is first
/// purchase to the observation end; <see cref="MonetaryValue"/> is the mean value of repeat
/// transactions (0 for one-time buyers). Recency and T are in the chosen <see cref="TimeUnit"/>.
/// </summary>
/// <param name="HoldoutPurchases">With a calibration/holdout split: transactions in the holdout window, otherwise null.</param>
/// <param name="HoldoutRevenue">With a calibration/holdout split: revenue in the holdout window, otherwise null.</param>
public sealed record CustomerFeatures(
    string CustomerId,
    int Frequency,
    double Recency,
    double T,
    double MonetaryValue,
    double TotalRevenue,
    int Orders,
    DateOnly FirstPurchase,
    DateOnly LastPurchase,
    double? HoldoutPurchases = null,
    double? HoldoutRevenue = null);
