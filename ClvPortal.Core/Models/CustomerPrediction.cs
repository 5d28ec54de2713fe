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
    bool ChurnRisk)
{
    /// <summary>Probability of no purchase within the horizon (BG/NBD); NaN when BG/NBD could not be fitted.</summary>
    public double ChurnProbability { get; init; } = double.NaN;

    /// <summary>Low, medium or high churn risk from <see cref="ChurnProbability"/>; null without it.</summary>
    public ChurnLevel? ChurnLevel { get; init; }
}

/// <summary>How likely a customer is to buy nothing within the horizon.</summary>
public enum ChurnLevel
{
    Low,
    Medium,
    High,
}

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
    IReadOnlyList<DecilePoint> Deciles)
{
    /// <summary>
    /// The normalized Gini that random ranking reaches 95% of the time on these customers (a permutation
    /// null): a model at or below it ranks no better than chance. NaN when not computed.
    /// </summary>
    public double ChanceGini { get; init; } = double.NaN;
}

/// <summary>How the tiers are written for people, in one place for pages, files and track records.</summary>
public static class ValueTiers
{
    /// <summary>The tier as pages write it ("Top 1–5%").</summary>
    public static string Label(ValueTier tier) => tier switch
    {
        ValueTier.Top1 => "Top 1%",
        ValueTier.Top1To5 => "Top 1–5%",
        ValueTier.Top5To10 => "Top 5–10%",
        ValueTier.Top10To25 => "Top 10–25%",
        ValueTier.Top25To50 => "Top 25–50%",
        _ => "Bottom 50%",
    };

    /// <summary>The tier as customers.csv, exports and reports spell it ("top 1-5%"): lower case, ASCII hyphen.</summary>
    public static string FileLabel(ValueTier tier) => Label(tier).ToLowerInvariant().Replace('–', '-');
}
