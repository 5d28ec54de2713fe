using ClvPortal.Core.Analytics;
using ClvPortal.Core.Features;
using ClvPortal.Core.Models;
using ClvPortal.Core.Pipeline;
using ClvPortal.Web.Data;
using MongoDB.Driver;

namespace ClvPortal.Web.Analyses;

/// <summary>What the "My analyses" list shows of a finished analysis.</summary>
/// <param name="HeadlineClvTotal">Null when the models did not run: "no prediction" must not read as "worth nothing".</param>
public sealed record AnalysisSummary(int Customers, double TotalRevenue, double? HeadlineClvTotal, string? HeadlineModel)
{
    /// <summary>The ISO 4217 code of the file's amounts, null when the file named none.</summary>
    public string? Currency { get; init; }
}

/// <summary>
/// Stores one analysis' results keyed by upload id: first removes whatever an earlier attempt left,
/// then writes the customers in batches and the aggregates document last, so a re-run replaces the
/// results and never duplicates them, and a reader that finds the aggregates finds every customer.
/// </summary>
public sealed class ResultWriter(PortalDb db, TimeProvider clock)
{
    /// <summary>Customers per InsertMany: big enough to amortise round trips, small enough to stay far below the 48 MB message limit.</summary>
    public const int BatchSize = 5000;

    public async Task<AnalysisSummary> WriteAsync(UploadDocument upload, PipelineResult result, CancellationToken ct)
    {
        await DeleteResultsAsync(upload.Id, ct);

        var predictions = result.Modeling?.Predictions.ToDictionary(p => p.CustomerId, StringComparer.Ordinal)
            ?? new Dictionary<string, CustomerPrediction>(StringComparer.Ordinal);
        var winBack = CustomerSegments.WinBack(result.Customers, result.Modeling?.Predictions ?? []);
        var horizonDays = result.Modeling?.HorizonDays ?? 0;
        var observationEnd = ObservationEnd(result);
        var batch = new List<CustomerResultDocument>(Math.Min(BatchSize, result.Customers.Count));
        foreach (var customer in result.Customers)
        {
            var prediction = predictions.GetValueOrDefault(customer.CustomerId);
            var document = ToDocument(upload, customer, prediction, CustomerOutlook.Of(customer, prediction, observationEnd, horizonDays));
            document.WinBack = winBack.Contains(customer.CustomerId);
            batch.Add(document);
            if (batch.Count == BatchSize)
            {
                await db.CustomerResults.InsertManyAsync(batch, new InsertManyOptions { IsOrdered = false }, ct);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await db.CustomerResults.InsertManyAsync(batch, new InsertManyOptions { IsOrdered = false }, ct);
        }

        var analysis = ToAnalysisDocument(upload, result);
        analysis.WinBackCustomers = winBack.Count;
        await db.AnalysisResults.ReplaceOneAsync(a => a.Id == upload.Id, analysis, new ReplaceOptions { IsUpsert = true }, ct);
        return new AnalysisSummary(analysis.Customers, analysis.TotalRevenue, result.Modeling is null ? null : analysis.HeadlineClvTotal, analysis.HeadlineModel)
        {
            Currency = result.File.Currency,
        };
    }

    /// <summary>Removes an upload's aggregates and customer results (aggregates first, so no reader sees a half set).</summary>
    public async Task DeleteResultsAsync(Guid uploadId, CancellationToken ct)
    {
        await db.AnalysisResults.DeleteOneAsync(a => a.Id == uploadId, ct);
        await db.CustomerResults.DeleteManyAsync(c => c.UploadId == uploadId, ct);
    }

    private AnalysisResultDocument ToAnalysisDocument(UploadDocument upload, PipelineResult result)
    {
        var modeling = result.Modeling;
        var predictions = modeling?.Predictions ?? [];
        return new AnalysisResultDocument
        {
            Id = upload.Id,
            OwnerId = upload.OwnerId,
            File = result.File,
            Cleaning = result.Cleaning,
            Aggregates = result.Aggregates,
            Customers = result.Customers.Count,
            TotalRevenue = result.Customers.Sum(c => c.TotalRevenue),
            HeadlineModel = modeling?.HeadlineModel,
            HeadlineReason = modeling?.HeadlineReason,
            HorizonDays = modeling?.HorizonDays ?? 0,
            HeadlineClvTotal = predictions.Sum(p => p.HeadlineClv),
            Reliability = modeling?.Reliability ?? ForecastReliability.Untested,
            ReliabilityMessage = modeling?.ReliabilityMessage,
            HeadlineClvLow = modeling?.HeadlineRange?.Low,
            HeadlineClvHigh = modeling?.HeadlineRange?.High,
            TiersReliable = modeling?.TiersReliable ?? false,
            MissingData = [.. modeling?.MissingData ?? []],
            Calibration = CalibrationSummary.From(modeling?.Calibration),
            Backtests = [.. modeling?.Backtests ?? []],
            BgNbd = modeling?.BgNbd,
            GammaGamma = modeling?.GammaGamma,
            Notes = [.. modeling?.Notes ?? []],
            ClvDistribution = [.. ClvCharts.Histogram(predictions.Select(p => p.HeadlineClv)).Select(HistogramBin.Of)],
            Tiers = [.. ClvCharts.Tiers(result.Customers, predictions, modeling?.TierRanges).Select(TierSummary.Of)],
            ChurnRiskCustomers = predictions.Count(p => p.ChurnRisk),
            ObservationEnd = ObservationEnd(result).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            VipCustomers = predictions.Count(p => CustomerSegments.IsVip(p.Tier)),
            CompletedAt = clock.GetUtcNow().UtcDateTime,
        };
    }

    private static CustomerResultDocument ToDocument(UploadDocument upload, CustomerFeatures customer, CustomerPrediction? prediction, CustomerOutlook outlook) => new()
    {
        UploadId = upload.Id,
        OwnerId = upload.OwnerId,
        CustomerId = customer.CustomerId,
        Frequency = customer.Frequency,
        Recency = customer.Recency,
        T = customer.T,
        MonetaryValue = customer.MonetaryValue,
        TotalRevenue = customer.TotalRevenue,
        Orders = customer.Orders,
        FirstPurchase = customer.FirstPurchase.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        LastPurchase = customer.LastPurchase.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        XgbClv = prediction?.XgbClv ?? 0,
        ExpectedPurchases = prediction?.ExpectedPurchases ?? 0,
        ProbabilityAlive = prediction?.ProbabilityAlive ?? 0,
        ExpectedAverageValue = prediction?.ExpectedAverageValue ?? 0,
        ProbabilisticClv = prediction?.ProbabilisticClv ?? 0,
        BaselineClv = prediction?.BaselineClv ?? 0,
        HeadlineClv = prediction?.HeadlineClv ?? 0,
        Tier = prediction?.Tier ?? ValueTier.Bottom50,
        ChurnRisk = prediction?.ChurnRisk ?? false,
        ChurnProbability = prediction is { ChurnProbability: var churn } && double.IsFinite(churn) ? churn : null,
        ChurnLevel = prediction?.ChurnLevel,
        Email = customer.Contact?.Email,
        Name = customer.Contact?.Name,
        Country = customer.Contact?.Country,
        AverageDaysBetweenOrders = outlook.AverageDaysBetweenOrders,
        ExpectedNextOrder = outlook.ExpectedNextOrder?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
    };

    /// <summary>The pipeline's observation end; for a result built without one, the last purchase of any customer.</summary>
    private static DateOnly ObservationEnd(PipelineResult result) =>
        result.ObservationEnd != default || result.Customers.Count == 0 ? result.ObservationEnd : result.Customers.Max(c => c.LastPurchase);
}
