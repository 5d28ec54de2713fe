namespace ClvPortal.Core.Features;

/// <summary>The unit that recency, T and horizons are measured in.</summary>
public enum TimeUnit
{
    /// <summary>Days; purchases on the same day are one transaction.</summary>
    Days,

    /// <summary>Whole Monday-to-Sunday weeks, as lifetimes' <c>freq='W'</c>: purchases in the same week are one transaction.</summary>
    Weeks,

    /// <summary>
    /// Continuous weeks (days / 7), as Fader, Hardie &amp; Lee (2005) and lifetimes' <c>freq='D', freq_multiplier=7</c>:
    /// purchases on the same day are one transaction, recency and T are fractional weeks.
    /// </summary>
    ContinuousWeeks,
}

/// <summary>Conversions between a <see cref="TimeUnit"/> and days.</summary>
public static class TimeUnits
{
    /// <summary>Days in one unit: 1 for days, 7 for either kind of week.</summary>
    public static double DaysPerUnit(this TimeUnit unit) => unit == TimeUnit.Days ? 1 : 7;

    /// <summary>The name used in settings, model files and reports: days, weeks, continuous-weeks.</summary>
    public static string Name(this TimeUnit unit) => unit switch
    {
        TimeUnit.Weeks => "weeks",
        TimeUnit.ContinuousWeeks => "continuous-weeks",
        _ => "days",
    };

    /// <summary>The unit with this <see cref="Name"/> (also "day", "week"), or null.</summary>
    public static TimeUnit? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "days" or "day" => TimeUnit.Days,
        "weeks" or "week" => TimeUnit.Weeks,
        "continuous-weeks" or "continuous-week" => TimeUnit.ContinuousWeeks,
        _ => null,
    };
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
    double? HoldoutRevenue = null)
{
    /// <summary>
    /// What a fitted BG/NBD + Gamma-Gamma says of this customer, when the modeling step attached it as
    /// extra model inputs (null otherwise: such inputs are then missing).
    /// </summary>
    public ModelSignals? Signals { get; init; }

    /// <summary>Days with a purchase in the window (same-day orders count once, whatever the time unit): the basis of the average gap between orders.</summary>
    public int PurchaseDays { get; init; }

    /// <summary>The customer's most recent email, name and country in the file; null when the file has none of them.</summary>
    public CustomerContact? Contact { get; init; }
}

/// <summary>How to reach a customer, as the file gave it: each field the most recent non-empty value, null when never given.</summary>
public sealed record CustomerContact(string? Email, string? Name, string? Country);

/// <summary>
/// BG/NBD and Gamma-Gamma outputs for one customer over a window, used as XGBoost inputs: they carry
/// the extrapolation over customer age that trees cannot do on raw recency and T.
/// </summary>
public sealed record ModelSignals(double ExpectedPurchases, double ProbabilityAlive, double ExpectedValue);
