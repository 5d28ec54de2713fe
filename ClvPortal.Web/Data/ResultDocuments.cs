using ClvPortal.Core.Analytics;
using ClvPortal.Core.Cleaning;
using ClvPortal.Core.Ingest;
using ClvPortal.Core.Models;
using MongoDB.Bson;
using MongoDB.Bson.Serialization.Attributes;

namespace ClvPortal.Web.Data;

/// <summary>
/// Everything the results dashboard draws, precomputed once per upload (collection
/// <c>analysisResults</c>, <c>_id</c> = upload id), so the page reads one document.
/// </summary>
public sealed class AnalysisResultDocument
{
    public Guid Id { get; set; }

    public required string OwnerId { get; set; }

    public required FileDescription File { get; set; }

    public required CleaningReport Cleaning { get; set; }

    public required DashboardAggregates Aggregates { get; set; }

    public int Customers { get; set; }

    public double TotalRevenue { get; set; }

    public string? HeadlineModel { get; set; }

    public string? HeadlineReason { get; set; }

    public double HorizonDays { get; set; }

    public double HeadlineClvTotal { get; set; }

    /// <summary>How far the headline can be trusted, from the out-of-time backtest; <see cref="ReliabilityMessage"/> says it in words.</summary>
    public ForecastReliability Reliability { get; set; } = ForecastReliability.Untested;

    public string? ReliabilityMessage { get; set; }

    /// <summary>The likely range (about 95%) of the headline total; null when the models were not backtested.</summary>
    public double? HeadlineClvLow { get; set; }

    public double? HeadlineClvHigh { get; set; }

    /// <summary>False when no model ranked customers better than chance: tiers and per-customer values are not to be acted on.</summary>
    public bool TiersReliable { get; set; } = true;

    /// <summary>What the data lacks for a backtest, each naming what is needed and what the file has.</summary>
    public List<string> MissingData { get; set; } = [];

    /// <summary>The backtest's calibration window and the BG/NBD / Gamma-Gamma parameters fitted on it.</summary>
    public CalibrationSummary? Calibration { get; set; }

    public List<ModelBacktest> Backtests { get; set; } = [];

    public BgNbdParameters? BgNbd { get; set; }

    public GammaGammaParameters? GammaGamma { get; set; }

    public List<string> Notes { get; set; } = [];

    /// <summary>Histogram of headline CLV: bucket upper bounds and counts.</summary>
    public List<HistogramBin> ClvDistribution { get; set; } = [];

    public List<TierSummary> Tiers { get; set; } = [];

    /// <summary>Customers flagged at risk of churn (low P(alive)) and the CLV they hold.</summary>
    public int ChurnRiskCustomers { get; set; }

    /// <summary>
    /// The last day of the cleaned data (the last transaction kept, or the observation end asked for): "days since the
    /// last purchase" count to it. Null in analyses stored before it was kept.
    /// </summary>
    public DateTime? ObservationEnd { get; set; }

    /// <summary>Customers in the VIP list (<see cref="CustomerSegments.IsVip"/>).</summary>
    public int VipCustomers { get; set; }

    /// <summary>Customers in the win-back list (<see cref="CustomerSegments.WinBack"/>).</summary>
    public int WinBackCustomers { get; set; }

    public DateTime CompletedAt { get; set; }
}

public sealed record HistogramBin(double From, double To, int Customers)
{
    /// <summary>The stored shape of one bar of <see cref="ClvCharts.Histogram"/>.</summary>
    public static HistogramBin Of(ClvBin bin) => new(bin.From, bin.To, bin.Customers);
}

public sealed record TierSummary(ValueTier Tier, int Customers, double Clv, double Revenue)
{
    /// <summary>The stored shape of one tier of <see cref="ClvCharts.Tiers"/>.</summary>
    public static TierSummary Of(TierTotal tier) => new(tier.Tier, tier.Customers, tier.Clv, tier.Revenue)
    {
        ClvLow = tier.ClvRange?.Low,
        ClvHigh = tier.ClvRange?.High,
    };

    /// <summary>The likely range of the tier's total CLV (null when untested).</summary>
    public double? ClvLow { get; init; }

    public double? ClvHigh { get; init; }
}

/// <summary>The backtest's cut and the parameters fitted on the data before it (the ones papers publish).</summary>
public sealed record CalibrationSummary(
    DateTime CalibrationEnd, DateTime HoldoutEnd, double HoldoutLength, int Customers, int RepeatBuyers,
    BgNbdParameters? BgNbd, GammaGammaParameters? GammaGamma, double ChurnAuc)
{
    public static CalibrationSummary? From(CalibrationFit? fit) => fit is null ? null : new(
        fit.CalibrationEnd.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), fit.HoldoutEnd.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        fit.HoldoutLength, fit.Customers, fit.RepeatBuyers, fit.BgNbd, fit.GammaGamma, fit.ChurnAuc);
}

/// <summary>
/// One customer of one upload (collection <c>customerResults</c>): features and predictions.
/// Indexed by (uploadId, headlineClv), (uploadId, customerId) and the other sort keys so the
/// customer table pages through an index.
/// </summary>
public sealed class CustomerResultDocument
{
    public ObjectId Id { get; set; }

    public Guid UploadId { get; set; }

    public required string OwnerId { get; set; }

    public required string CustomerId { get; set; }

    public int Frequency { get; set; }

    public double Recency { get; set; }

    public double T { get; set; }

    public double MonetaryValue { get; set; }

    public double TotalRevenue { get; set; }

    public int Orders { get; set; }

    public DateTime FirstPurchase { get; set; }

    public DateTime LastPurchase { get; set; }

    public double XgbClv { get; set; }

    public double ExpectedPurchases { get; set; }

    public double ProbabilityAlive { get; set; }

    public double ExpectedAverageValue { get; set; }

    public double ProbabilisticClv { get; set; }

    public double BaselineClv { get; set; }

    public double HeadlineClv { get; set; }

    public ValueTier Tier { get; set; }

    public bool ChurnRisk { get; set; }

    /// <summary>Probability of no purchase within the horizon (null when BG/NBD could not be fitted).</summary>
    public double? ChurnProbability { get; set; }

    public ChurnLevel? ChurnLevel { get; set; }

    /// <summary>The customer's most recent email address in the file, when it has one.</summary>
    public string? Email { get; set; }

    /// <summary>The customer's most recent name in the file, when it has one.</summary>
    public string? Name { get; set; }

    /// <summary>The customer's most recent country in the file, when it has one.</summary>
    public string? Country { get; set; }

    /// <summary>Average days between purchase days (<see cref="CustomerOutlook.AverageGap"/>); null for one-day customers.</summary>
    public double? AverageDaysBetweenOrders { get; set; }

    /// <summary>When the next order is expected (<see cref="CustomerOutlook.NextOrder"/>); null when none is expected within the horizon.</summary>
    public DateTime? ExpectedNextOrder { get; set; }

    /// <summary>In the win-back list: valuable and at high churn risk (<see cref="CustomerSegments.WinBack"/>).</summary>
    public bool WinBack { get; set; }

    /// <summary>Net revenue so far (historic CLV): the same as <see cref="TotalRevenue"/>, named as marketing tools name it.</summary>
    [BsonIgnore]
    public double HistoricClv => TotalRevenue;

    /// <summary>Historic plus predicted CLV.</summary>
    [BsonIgnore]
    public double TotalClv => TotalRevenue + HeadlineClv;

    /// <summary>Net revenue per order.</summary>
    [BsonIgnore]
    public double AverageOrderValue => Orders > 0 ? TotalRevenue / Orders : 0;
}

/// <summary>
/// A read-only link to one result for people without an account (collection <c>shareLinks</c>).
/// Only the SHA-256 of the token is stored: a database leak does not leak working links.
/// </summary>
public sealed class ShareLinkDocument
{
    public ObjectId Id { get; set; }

    public Guid UploadId { get; set; }

    public required string OwnerId { get; set; }

    public required string TokenHash { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime? RevokedAt { get; set; }
}
