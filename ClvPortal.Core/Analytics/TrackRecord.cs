using ClvPortal.Core.Features;
using ClvPortal.Core.Models;

namespace ClvPortal.Core.Analytics;

/// <summary>
/// One customer as an earlier analysis predicted them: the headline CLV over its horizon, tier and churn
/// risk, and the BG/NBD history (x, t_x, T in the fit's unit) that says when within the horizon the CLV falls.
/// </summary>
public sealed record PastPrediction(
    string CustomerId,
    double PredictedClv,
    ValueTier Tier,
    double? ChurnProbability,
    ChurnLevel? ChurnLevel,
    int Frequency,
    double Recency,
    double T);

/// <summary>
/// What an earlier analysis of the same business predicted: its last day of data, its horizon, the BG/NBD fit
/// (null when none was made: the CLV is then spread evenly over the horizon) and every customer's prediction.
/// </summary>
public sealed record EarlierForecast(
    DateOnly ObservationEnd,
    double HorizonDays,
    BgNbdParameters? Purchases,
    double DaysPerUnit,
    IReadOnlyList<PastPrediction> Customers)
{
    /// <summary>
    /// The forecast of a modeling run, as a later analysis scores it: each prediction with the history its
    /// features give (customers without features are left out, as in <see cref="CohortForecast"/>); null
    /// when the run predicted nothing.
    /// </summary>
    public static EarlierForecast? From(ModelingResult? modeling, IReadOnlyList<CustomerFeatures> customers, TimeUnit unit, DateOnly observationEnd)
    {
        ArgumentNullException.ThrowIfNull(customers);
        if (modeling is null || modeling.Predictions.Count == 0)
        {
            return null;
        }

        var history = new Dictionary<string, CustomerFeatures>(customers.Count, StringComparer.Ordinal);
        foreach (var c in customers)
        {
            history.TryAdd(c.CustomerId, c);
        }

        var predictions = new List<PastPrediction>(modeling.Predictions.Count);
        foreach (var p in modeling.Predictions)
        {
            if (history.TryGetValue(p.CustomerId, out var c))
            {
                double? churn = double.IsFinite(p.ChurnProbability) ? p.ChurnProbability : null;
                predictions.Add(new PastPrediction(p.CustomerId, p.HeadlineClv, p.Tier, churn, p.ChurnLevel, c.Frequency, c.Recency, c.T));
            }
        }

        return new EarlierForecast(observationEnd, modeling.HorizonDays, modeling.BgNbd, unit.DaysPerUnit(), predictions);
    }
}

/// <summary>Predicted against actual revenue for one group of the earlier analysis's customers (a tier, a decile).</summary>
/// <param name="Group">The tier's or decile's label as the page shows it ("Top 1%", "Decile 1").</param>
/// <param name="Predicted">The group's earlier headline CLV, pro rata over the covered period.</param>
/// <param name="Actual">The group's net revenue (returns taken off) in the covered period.</param>
/// <param name="Bought">Customers of the group who bought at least once in the covered period.</param>
public sealed record TrackRecordGroup(string Group, int Customers, double Predicted, double Actual, int Bought)
{
    /// <summary>The value tier the group is, for a page that labels tiers itself; null for a decile.</summary>
    public ValueTier? Tier { get; init; }
}

/// <summary>How many customers of one churn level really bought again in the covered period.</summary>
public sealed record ChurnLevelOutcome(ChurnLevel Level, int Customers, double MeanPredictedNoPurchase, int Bought);

/// <summary>The earlier churn risk against who came back: by level, the ranking's AUC, and the mean against the real share.</summary>
/// <param name="Auc">How well the earlier churn probability ranked who bought nothing (0.5 = chance); null when everyone, or no one, came back.</param>
/// <param name="MeanPredictedNoPurchase">The mean earlier probability of no purchase, for the whole horizon; NaN when the earlier analysis gave none.</param>
/// <param name="ActualNoPurchaseShare">The share of the same customers who bought nothing in the covered period; NaN when the earlier analysis gave no probability.</param>
public sealed record ChurnOutcome(
    IReadOnlyList<ChurnLevelOutcome> Levels,
    double? Auc,
    double MeanPredictedNoPurchase,
    double ActualNoPurchaseShare);

/// <summary>One of the customers the earlier analysis ranked highest, and what they did.</summary>
/// <param name="Rank">1 for the highest predicted CLV; equal CLVs rank by customer id.</param>
/// <param name="Predicted">The customer's earlier headline CLV, pro rata over the covered period.</param>
/// <param name="Actual">The customer's net revenue in the covered period.</param>
/// <param name="Orders">Orders in the covered period: invoices when the later file has them, purchase days otherwise.</param>
public sealed record TopCustomerOutcome(string CustomerId, int Rank, double Predicted, double Actual, int Orders);

/// <summary>
/// An earlier analysis's predictions scored against what a later file shows happened, over the part of the
/// earlier horizon the later file covers (<see cref="From"/> to <see cref="To"/>).
/// </summary>
/// <param name="CoveredShare">The share of the earlier horizon covered, 0–1: below 1 the predictions are taken pro rata.</param>
/// <param name="Predicted">The earlier headline CLV of all its customers, pro rata over the covered period.</param>
/// <param name="Actual">What those customers really spent in the covered period.</param>
/// <param name="NewCustomers">Customers in the later file who were not in the earlier analysis: counted apart, not scored.</param>
public sealed record TrackRecord(
    DateOnly From,
    DateOnly To,
    DateOnly HorizonEnd,
    double CoveredShare,
    int Customers,
    double Predicted,
    double Actual,
    IReadOnlyList<TrackRecordGroup> Tiers,
    IReadOnlyList<TrackRecordGroup> Deciles,
    ChurnOutcome Churn,
    IReadOnlyList<TopCustomerOutcome> TopCustomers,
    int NewCustomers,
    double NewCustomerRevenue)
{
    /// <summary>
    /// Days of the earlier horizon before the later file's first day, when it starts later than the day after the
    /// earlier analysis's end: what customers did on them is unknown, so they are left out of the covered period
    /// (<see cref="From"/> is the later file's first day). 0 when the later file leaves no gap.
    /// </summary>
    public int UnseenDays { get; init; }

    /// <summary>Whether the later file covers only part of the earlier horizon.</summary>
    public bool Partial => CoveredShare < 1;

    /// <summary>How far the actual total was from the prediction, as a share of the prediction (−0.08 = spent 8% less); null when nothing was predicted.</summary>
    public double? Difference => Predicted > 0 ? (Actual - Predicted) / Predicted : null;
}
