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
    IReadOnlyList<PastPrediction> Customers);

/// <summary>Predicted against actual revenue for one group of the earlier analysis's customers (a tier, a decile).</summary>
/// <param name="Group">The tier's or decile's label as the page shows it ("Top 1%", "Decile 1").</param>
public sealed record TrackRecordGroup(string Group, int Customers, double Predicted, double Actual, int Bought);

/// <summary>How many customers of one churn level really bought again in the covered period.</summary>
public sealed record ChurnLevelOutcome(ChurnLevel Level, int Customers, double MeanPredictedNoPurchase, int Bought);

/// <summary>The earlier churn risk against who came back: by level, the ranking's AUC, and the mean against the real share.</summary>
/// <param name="Auc">How well the earlier churn probability ranked who bought nothing (0.5 = chance); null when everyone, or no one, came back.</param>
public sealed record ChurnOutcome(
    IReadOnlyList<ChurnLevelOutcome> Levels,
    double? Auc,
    double MeanPredictedNoPurchase,
    double ActualNoPurchaseShare);

/// <summary>One of the customers the earlier analysis ranked highest, and what they did.</summary>
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
    /// <summary>Whether the later file covers only part of the earlier horizon.</summary>
    public bool Partial => CoveredShare < 1;

    /// <summary>How far the actual total was from the prediction, as a share of the prediction (−0.08 = spent 8% less); null when nothing was predicted.</summary>
    public double? Difference => Predicted > 0 ? (Actual - Predicted) / Predicted : null;
}

/// <summary>Scores an earlier analysis's predictions against a later file's transactions.</summary>
public static class TrackRecordScorer
{
    /// <summary>
    /// The earlier predictions against the later ledger over the covered part of the earlier horizon; null when
    /// the later data does not reach past the earlier analysis's last day.
    /// </summary>
    public static TrackRecord? Score(EarlierForecast earlier, CustomerLedger later) =>
        throw new NotImplementedException("The contract only: the scorer is being written.");
}
