using System.Globalization;
using System.Text.Json;
using ClvPortal.Core.Analytics;
using ClvPortal.Core.Models;
using ClvPortal.Web.Data;
using ClvPortal.Web.Results;
using MongoDB.Driver;

namespace ClvPortal.Web.Businesses;

/// <summary>
/// What the track record page shows: an earlier analysis's predictions scored against a later one's file, with the
/// sentences a marketing manager reads first.
/// </summary>
public sealed record TrackRecordView(TrackRecordDocument Document, UploadDocument Later, UploadDocument Earlier, DateOnly EarlierEnd, string? Currency)
{
    public const double DaysPerMonth = 365.25 / 12;

    /// <summary>The owner's record of (later, earlier), or null when there is none (someone else's looks exactly like a missing one).</summary>
    public static async Task<TrackRecordView?> LoadAsync(PortalDb db, string ownerId, Guid laterId, Guid earlierId, CancellationToken ct)
    {
        var key = TrackRecordDocument.KeyOf(laterId, earlierId);
        var document = await db.TrackRecords.Find(Owned.TrackRecords(ownerId, t => t.Id == key)).FirstOrDefaultAsync(ct);
        if (document is null)
        {
            return null;
        }

        var uploads = await db.Uploads.Find(Owned.Uploads(ownerId, u => u.Id == laterId || u.Id == earlierId)).ToListAsync(ct);
        var later = uploads.FirstOrDefault(u => u.Id == laterId);
        var earlier = uploads.FirstOrDefault(u => u.Id == earlierId);
        if (later is null || earlier is null)
        {
            return null;
        }

        var earlierEnd = await db.AnalysisResults.Find(Owned.Result(ownerId, earlierId)).Project(a => a.ObservationEnd).FirstOrDefaultAsync(ct);
        return new TrackRecordView(
            document, later, earlier,
            earlierEnd is { } end ? DateOnly.FromDateTime(end) : document.Record.From.AddDays(-1),
            later.Currency ?? earlier.Currency);
    }

    public TrackRecord Record => Document.Record;

    /// <summary>Whole months between two days, at least one.</summary>
    public static int MonthCount(DateOnly from, DateOnly to) => Math.Max(1, (int)Math.Round((to.DayNumber - from.DayNumber) / DaysPerMonth));

    /// <summary>"9 months", "1 month".</summary>
    public static string Months(DateOnly from, DateOnly to) => MonthCount(from, to) is var months && months == 1 ? "1 month" : $"{months} months";

    public static string Date(DateOnly day) => day.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>"8% less", "12% more", "exactly as much"; null when nothing was predicted.</summary>
    public static string? DifferenceWords(double? difference)
    {
        if (difference is not { } d)
        {
            return null;
        }

        var percent = Math.Round(Math.Abs(d) * 100);
        return percent == 0 ? "about as much as expected" : d < 0 ? $"{percent:0}% less" : $"{percent:0}% more";
    }

    /// <summary>"8% less than predicted", "about as much as predicted": a record in a link's words; null when nothing was predicted.</summary>
    public static string? VersusPrediction(double? difference) => DifferenceWords(difference) switch
    {
        null => null,
        "about as much as expected" => "about as much as predicted",
        var words => words + " than predicted",
    };

    /// <summary>
    /// The first sentence: "On 30 Sep 1997 we expected $X from these 2,357 customers over the 9 months to 30 Jun 1998;
    /// they spent $Y, 8% less than expected."
    /// </summary>
    public string Headline(NumberFormats f)
    {
        var r = Record;
        var spent = DifferenceWords(r.Difference) switch
        {
            null => $"they spent {f.Money(r.Actual)}.",
            "about as much as expected" => $"they spent {f.Money(r.Actual)}, about as much as expected.",
            var words => $"they spent {f.Money(r.Actual)}, {words} than expected.",
        };
        return $"On {Date(EarlierEnd)} we expected {f.Money(r.Predicted)} from these {f.Count(r.Customers, "customer")} over the {Months(EarlierEnd, r.To)} to {Date(r.To)}; {spent}";
    }

    /// <summary>
    /// "Pro rata: your newer file covers 9 of the 12 months we predicted, so we compare what they spent with the part of
    /// our prediction for those 9 months." Null when it covers them all.
    /// </summary>
    public string? ProRata => Record.Partial
        ? $"Pro rata: your newer file covers {MonthCount(EarlierEnd, Record.To)} of the {Months(EarlierEnd, Record.HorizonEnd)} we predicted, so we compare what they spent with the part of our prediction for those {Months(EarlierEnd, Record.To)}."
        : null;

    /// <summary>
    /// "We expected 66.9% of these customers to buy nothing in the 12 months we predicted; in the 9 months so far, 70.1%
    /// have bought nothing." The churn probability is for the whole horizon, so a partial check says so: the share
    /// who bought nothing can only fall in the months still to come.
    /// </summary>
    public string ChurnSummary(NumberFormats f)
    {
        var r = Record;
        return r.Partial
            ? $"We expected {f.Percent(r.Churn.MeanPredictedNoPurchase)} of these customers to buy nothing in the {Months(EarlierEnd, r.HorizonEnd)} we predicted; in the {Months(EarlierEnd, r.To)} so far, {f.Percent(r.Churn.ActualNoPurchaseShare)} have bought nothing (some may still buy before {Date(r.HorizonEnd)})."
            : $"We expected {f.Percent(r.Churn.MeanPredictedNoPurchase)} of these customers to buy nothing in the {Months(EarlierEnd, r.To)} to {Date(r.To)}; {f.Percent(r.Churn.ActualNoPurchaseShare)} bought nothing.";
    }

    /// <summary>
    /// How churn risk fared, one sentence per level: "Of the 812 customers we rated at high churn risk, 64 (7.9%) bought
    /// again; we expected 10.0% to." With part of the horizon covered, the expectation is for the whole of it and says so.
    /// </summary>
    public IEnumerable<string> ChurnSentences(NumberFormats f)
    {
        var within = Record.Partial ? $" within {Months(EarlierEnd, Record.HorizonEnd)}" : "";
        var soFar = Record.Partial ? " so far" : "";
        return Record.Churn.Levels.Where(l => l.Customers > 0).OrderByDescending(l => l.Level).Select(l =>
            $"Of the {f.Count(l.Customers, "customer")} we rated at {LevelName(l.Level)} churn risk, {f.Count(l.Bought)} ({f.Percent((double)l.Bought / l.Customers)}) bought again{soFar}; we expected {f.Percent(1 - l.MeanPredictedNoPurchase)} to{within}.");
    }

    /// <summary>How much of the horizon a check has seen, in months: "9 of 12 months so far".</summary>
    public static string SoFar(TrackRecord record)
    {
        var start = record.From.AddDays(-1 - record.UnseenDays);
        return $"{MonthCount(start, record.To)} of {MonthCount(start, record.HorizonEnd)} months so far";
    }

    /// <summary>The AUC in words a marketing manager reads; null when it could not be measured.</summary>
    public string? RankingSentence => Record.Churn.Auc is { } auc
        ? $"Take one customer who came back and one who did not: {Math.Round(auc * 100):0} times in 100 we had rated the one who stayed away at higher churn risk (50 would be guessing). This is the AUC of the churn risk: {auc.ToString("0.00", CultureInfo.InvariantCulture)}."
        : null;

    /// <summary>
    /// The deciles as the page names them, highest predicted value first: "Top 10%", "Top 10–20%" … "Bottom 10%"; the
    /// stored label when there are not ten.
    /// </summary>
    public IReadOnlyList<string> DecileLabels => Record.Deciles.Count == 10
        ? [.. Enumerable.Range(0, 10).Select(i => i switch { 0 => "Top 10%", 9 => "Bottom 10%", _ => $"Top {i * 10}–{(i + 1) * 10}%" })]
        : [.. Record.Deciles.Select(d => d.Group)];

    public static string LevelName(ChurnLevel level) => level switch
    {
        ChurnLevel.High => "high",
        ChurnLevel.Medium => "medium",
        _ => "low",
    };

    /// <summary>The charts' data island (read by wwwroot/js/track-record.js): predicted against actual by tier and by decile.</summary>
    public string ChartJson(NumberFormats formats)
    {
        // Bars lie down (groups down the side): the groups' names stay readable on a phone.
        static object Chart(IReadOnlyList<TrackRecordGroup> groups, IEnumerable<string> labels) => new
        {
            labels,
            money = true,
            horizontal = true,
            datasets = new object[]
            {
                new { label = "Expected", data = groups.Select(g => Math.Round(g.Predicted, 2)), color = "primary" },
                new { label = "Spent", data = groups.Select(g => Math.Round(g.Actual, 2)), color = "amber" },
            },
        };

        return JsonSerializer.Serialize(new
        {
            currency = formats.CurrencySymbol,
            charts = new Dictionary<string, object>
            {
                ["tiers"] = Chart(Record.Tiers, Record.Tiers.Select(g => g.Group)),
                ["deciles"] = Chart(Record.Deciles, DecileLabels),
            },
        });
    }
}

/// <summary>A track record as another page links to it: the two analyses and the result in one line.</summary>
public sealed record TrackRecordLink(Guid LaterUploadId, Guid EarlierUploadId, string OtherFileName, TrackRecord Record)
{
    public string Href => TrackRecordLinks.Page(LaterUploadId, EarlierUploadId);

    /// <summary>
    /// The records an analysis is part of: the earlier analyses its file checked, and the
    /// newer files that checked it, each with the other analysis's file name.
    /// </summary>
    public static async Task<(IReadOnlyList<TrackRecordLink> Checked, IReadOnlyList<TrackRecordLink> CheckedBy)> LoadAsync(
        PortalDb db, string ownerId, Guid uploadId, CancellationToken ct)
    {
        var records = await db.TrackRecords.Find(Owned.TrackRecords(ownerId, t => t.LaterUploadId == uploadId || t.EarlierUploadId == uploadId)).ToListAsync(ct);
        if (records.Count == 0)
        {
            return ([], []);
        }

        var otherIds = records.Select(t => t.LaterUploadId == uploadId ? t.EarlierUploadId : t.LaterUploadId).ToList();
        var names = (await db.Uploads.Find(Owned.Uploads(ownerId, u => otherIds.Contains(u.Id))).ToListAsync(ct)).ToDictionary(u => u.Id, u => u.FileName);
        var links = records
            .Select(t => (t, Other: t.LaterUploadId == uploadId ? t.EarlierUploadId : t.LaterUploadId))
            .Where(x => names.ContainsKey(x.Other))
            .Select(x => new TrackRecordLink(x.t.LaterUploadId, x.t.EarlierUploadId, names[x.Other], x.t.Record))
            .OrderBy(l => l.Record.From)
            .ToList();
        return ([.. links.Where(l => l.LaterUploadId == uploadId)], [.. links.Where(l => l.EarlierUploadId == uploadId)]);
    }
}

/// <summary>The portal's URLs of businesses and track records.</summary>
public static class TrackRecordLinks
{
    public static string Business(Guid businessId) => $"/businesses/{businessId}";

    public static string Page(Guid laterUploadId, Guid earlierUploadId) => $"/analyses/{laterUploadId}/track-record/{earlierUploadId}";
}
