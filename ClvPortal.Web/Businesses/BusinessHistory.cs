using System.Text.Json;
using ClvPortal.Core.Analytics;
using ClvPortal.Web.Data;
using ClvPortal.Web.Results;
using MongoDB.Driver;

namespace ClvPortal.Web.Businesses;

/// <summary>One analysis on the business page: its upload, the period its data covers, its headline figures, and how its predictions fared.</summary>
/// <param name="Checked">The most complete check of this analysis's predictions by a newer file (the widest covered share, then the latest); null when none.</param>
public sealed record BusinessAnalysis(
    UploadDocument Upload,
    DataPeriod? Period,
    DateOnly? ObservationEnd,
    int? Customers,
    double? PredictedClv,
    double HorizonDays,
    int? AtRisk,
    string? Currency,
    TrackRecordDocument? Checked)
{
    public double? AtRiskShare => Customers > 0 && AtRisk is { } atRisk ? (double)atRisk / Customers.Value : null;
}

/// <summary>A business and its analyses in time order: by the last day of data they cover, then by upload time.</summary>
public sealed record BusinessHistory(BusinessDocument Business, IReadOnlyList<BusinessAnalysis> Analyses)
{
    /// <summary>The owner's business with its analyses, or null when the owner has no such business.</summary>
    public static async Task<BusinessHistory?> LoadAsync(PortalDb db, string ownerId, Guid businessId, CancellationToken ct)
    {
        if (await BusinessDirectory.FindAsync(db, ownerId, businessId, ct) is not { } business)
        {
            return null;
        }

        var uploads = await db.Uploads.Find(Owned.Uploads(ownerId, u => u.BusinessId == businessId)).ToListAsync(ct);
        var ids = uploads.Select(u => u.Id).ToList();
        var facts = (await db.AnalysisResults
                .Find(Owned.Results(ownerId, a => ids.Contains(a.Id)))
                .Project<AnalysisFacts>(Builders<AnalysisResultDocument>.Projection
                    .Include(a => a.ObservationEnd).Include(a => a.Customers).Include(a => a.HeadlineClvTotal).Include(a => a.HorizonDays)
                    .Include(a => a.ChurnRiskCustomers).Include(a => a.HeadlineModel).Include("file.currency").Include("aggregates.period"))
                .ToListAsync(ct))
            .ToDictionary(a => a.Id);
        var checks = (await db.TrackRecords.Find(Owned.TrackRecords(ownerId, t => ids.Contains(t.EarlierUploadId))).ToListAsync(ct))
            .GroupBy(t => t.EarlierUploadId)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Record.CoveredShare).ThenByDescending(t => t.ScoredAt).First());

        var analyses = uploads
            .Select(u =>
            {
                var f = facts.GetValueOrDefault(u.Id);
                var end = f?.ObservationEnd is { } e ? DateOnly.FromDateTime(e) : f?.Aggregates?.Period?.To;
                return new BusinessAnalysis(
                    u, f?.Aggregates?.Period, end, f?.Customers, f is { HeadlineModel: not null } ? f.HeadlineClvTotal : null, f?.HorizonDays ?? 0,
                    f?.ChurnRiskCustomers, f?.File?.Currency ?? u.Currency, checks.GetValueOrDefault(u.Id));
            })
            // Analyses without results yet (queued, failed) have no period: they come after the dated ones.
            .OrderBy(a => a.ObservationEnd is null)
            .ThenBy(a => a.ObservationEnd)
            .ThenBy(a => a.Upload.CreatedAt)
            .ToList();
        return new BusinessHistory(business, analyses);
    }

    /// <summary>The finished analyses, oldest data first: what the trend draws.</summary>
    public IReadOnlyList<BusinessAnalysis> Finished { get; } = [.. Analyses.Where(a => a.Upload.Status == UploadStatus.Succeeded && a.ObservationEnd is not null)];

    /// <summary>
    /// A finished analysis with newer data that was analysed before <paramref name="analysis"/>, so its job could not
    /// check this one's predictions (it ran first); null when there is none, or a check exists. The owner uploads the
    /// newer file again to get the check.
    /// </summary>
    public BusinessAnalysis? NewerAnalysedFirst(BusinessAnalysis analysis) =>
        analysis.Checked is null && analysis.ObservationEnd is { } end && analysis.Upload.FinishedAt is { } finished
            ? Finished.FirstOrDefault(n => n.ObservationEnd > end && n.Upload.FinishedAt < finished && n.Upload.IsSample == analysis.Upload.IsSample)
            : null;

    /// <summary>The currency the trend is written in: the newest finished analysis's.</summary>
    public string? Currency => Finished.LastOrDefault()?.Currency;

    /// <summary>The trend chart's data island (read by wwwroot/js/track-record.js): predicted CLV, and each check's predicted against actual.</summary>
    public string ChartJson(NumberFormats formats)
    {
        var finished = Finished;
        var data = new
        {
            currency = formats.CurrencySymbol,
            charts = new Dictionary<string, object>
            {
                ["trend"] = new
                {
                    labels = finished.Select(a => Label(a)),
                    money = true,
                    datasets = new object[]
                    {
                        new { label = "Predicted CLV", data = finished.Select(a => a.PredictedClv is { } v ? Math.Round(v, 2) : (double?)null), color = "primary" },
                        new { label = "Expected, months checked", data = finished.Select(a => a.Checked is { } c ? Math.Round(c.Record.Predicted, 2) : (double?)null), color = "grey" },
                        new { label = "Spent, months checked", data = finished.Select(a => a.Checked is { } c ? Math.Round(c.Record.Actual, 2) : (double?)null), color = "amber" },
                    },
                },
            },
        };
        return JsonSerializer.Serialize(data);
    }

    /// <summary>An analysis as the trend names it: the last day of its data.</summary>
    public static string Label(BusinessAnalysis analysis) =>
        analysis.ObservationEnd is { } end ? "Data to " + NumberFormats.Date(end.ToDateTime(TimeOnly.MinValue)) : analysis.Upload.FileName;

    private sealed class AnalysisFacts
    {
        public Guid Id { get; set; }

        public DateTime? ObservationEnd { get; set; }

        public int Customers { get; set; }

        public double HeadlineClvTotal { get; set; }

        public double HorizonDays { get; set; }

        public int ChurnRiskCustomers { get; set; }

        public string? HeadlineModel { get; set; }

        public FileFacts? File { get; set; }

        public AggregateFacts? Aggregates { get; set; }
    }

    private sealed class FileFacts
    {
        public string? Currency { get; set; }
    }

    private sealed class AggregateFacts
    {
        public DataPeriod? Period { get; set; }
    }
}
