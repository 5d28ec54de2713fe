namespace ClvPortal.Core.Models;

/// <summary>Value tiers by predicted CLV percentile, best first.</summary>
public enum ValueTier
{
    Top1,
    Top1To5,
    Top5To10,
    Top10To25,
    Top25To50,
    Bottom50,
}

/// <summary>Every model's prediction for one customer over the horizon, and the headline CLV the backtest winner gives.</summary>
public sealed record CustomerPrediction(
    string CustomerId,
    double XgbClv,
    double ExpectedPurchases,
    double ProbabilityAlive,
    double ExpectedAverageValue,
    double ProbabilisticClv,
    double BaselineClv,
    double HeadlineClv,
    ValueTier Tier,
    bool ChurnRisk);

/// <summary>One decile of a backtest: customers sorted by prediction, mean predicted and actual holdout value per bin.</summary>
public sealed record DecilePoint(int Decile, double MeanPredicted, double MeanActual);

/// <summary>How well one model predicted the holdout (definitions in the README's backtest section).</summary>
public sealed record ModelBacktest(
    string Model,
    double NormalizedGini,
    double Spearman,
    double DecileMape,
    double MeanAbsoluteError,
    double TotalRevenueError,
    IReadOnlyList<DecilePoint> Deciles);
