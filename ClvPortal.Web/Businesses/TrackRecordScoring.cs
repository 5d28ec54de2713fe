using ClvPortal.Core.Analytics;
using ClvPortal.Core.Features;
using ClvPortal.Core.Models;
using ClvPortal.Core.Pipeline;
using ClvPortal.Web.Data;
using MongoDB.Driver;

namespace ClvPortal.Web.Businesses;

/// <summary>
/// The step of <see cref="Analyses.AnalyzeUploadJob"/> after a successful analysis: every earlier analysis of the same
/// business whose data ends before this one's is scored against this file's transactions
/// (<see cref="TrackRecordScorer"/>), and each record stored keyed by (this upload, earlier upload).
/// An older file analysed after a newer one is not scored here: its page says to run the newer file again.
/// </summary>
public static class TrackRecordScoring
{
    /// <summary>Scores and stores the earlier analyses' records; returns how many were stored. Re-runnable: a re-run replaces them.</summary>
    public static async Task<int> ScoreEarlierAsync(PortalDb db, UploadDocument later, PipelineResult result, DateTime now, ILogger logger, CancellationToken ct)
    {
        await db.TrackRecords.DeleteManyAsync(t => t.LaterUploadId == later.Id, ct);
        if (result.Ledger is not { LastDate: { } lastDay } ledger)
        {
            return 0;
        }

        // An upload queued before businesses existed joins the owner's default business first.
        await BusinessDirectory.AdoptAsync(db, later.OwnerId, now, ct);
        var businessId = later.BusinessId
            ?? await db.Uploads.Find(Owned.Upload(later.OwnerId, later.Id)).Project(u => u.BusinessId).FirstOrDefaultAsync(ct);
        if (businessId is null)
        {
            return 0;
        }

        var laterEnd = result.ObservationEnd == default ? lastDay : result.ObservationEnd;
        // The sample shop never scores the owner's files, nor they it, even in a business of the same name.
        var candidates = await db.Uploads
            .Find(Owned.Uploads(later.OwnerId, u => u.BusinessId == businessId && u.Status == UploadStatus.Succeeded && u.Id != later.Id && u.IsSample == later.IsSample))
            .ToListAsync(ct);
        var stored = 0;
        foreach (var earlier in candidates)
        {
            var forecast = await LoadForecastAsync(db, earlier, laterEnd, ct);
            if (forecast is null)
            {
                continue;
            }

            TrackRecord? record;
            try
            {
                record = TrackRecordScorer.Score(forecast, ledger);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The analysis itself succeeded: a record that cannot be scored is missing from its page, nothing more.
                logger.LogError(ex, "Could not score upload {Earlier} against upload {Later}", earlier.Id, later.Id);
                continue;
            }

            if (record is null)
            {
                continue;
            }

            var document = new TrackRecordDocument
            {
                Id = TrackRecordDocument.KeyOf(later.Id, earlier.Id),
                OwnerId = later.OwnerId,
                BusinessId = businessId.Value,
                LaterUploadId = later.Id,
                EarlierUploadId = earlier.Id,
                Record = record,
                ScoredAt = now,
            };
            await db.TrackRecords.ReplaceOneAsync(t => t.Id == document.Id, document, new ReplaceOptions { IsUpsert = true }, ct);
            if (await db.Uploads.CountDocumentsAsync(u => u.Id == earlier.Id, cancellationToken: ct) == 0)
            {
                // Deleted by its owner while this one was scored: its deletion may have run before the record existed.
                await db.TrackRecords.DeleteOneAsync(t => t.Id == document.Id, ct);
                continue;
            }

            stored++;
        }

        return stored;
    }

    /// <summary>Removes the records an upload is part of, as the later or the earlier analysis.</summary>
    public static Task DeleteForAsync(PortalDb db, Guid uploadId, CancellationToken ct) =>
        db.TrackRecords.DeleteManyAsync(t => t.LaterUploadId == uploadId || t.EarlierUploadId == uploadId, ct);

    /// <summary>
    /// What the earlier analysis predicted, from its stored results; null when it made no prediction or its data
    /// does not end before <paramref name="laterEnd"/>. Customers are read through a cursor with only the fields
    /// the scorer needs, so 100k of them cost a list of small records, not their full documents.
    /// </summary>
    public static async Task<EarlierForecast?> LoadForecastAsync(PortalDb db, UploadDocument earlier, DateOnly laterEnd, CancellationToken ct)
    {
        var analysis = await db.AnalysisResults
            .Find(Owned.Result(earlier.OwnerId, earlier.Id))
            .Project<EarlierAnalysisFields>(Builders<AnalysisResultDocument>.Projection
                .Include(a => a.ObservationEnd).Include(a => a.HorizonDays).Include(a => a.BgNbd).Include(a => a.Customers))
            .FirstOrDefaultAsync(ct);
        if (analysis is not { ObservationEnd: { } end, HorizonDays: > 0 } || DateOnly.FromDateTime(end) >= laterEnd)
        {
            return null;
        }

        var predictions = new List<PastPrediction>(analysis.Customers);
        var fields = Builders<CustomerResultDocument>.Projection
            .Include(c => c.CustomerId).Include(c => c.HeadlineClv).Include(c => c.Tier).Include(c => c.ChurnProbability)
            .Include(c => c.ChurnLevel).Include(c => c.Frequency).Include(c => c.Recency).Include(c => c.T).Exclude(c => c.Id);
        using var cursor = await db.CustomerResults
            .Find(Owned.Customers(earlier.OwnerId, earlier.Id), new FindOptions { BatchSize = 5000 })
            .Project<PredictionFields>(fields)
            .ToCursorAsync(ct);
        while (await cursor.MoveNextAsync(ct))
        {
            foreach (var c in cursor.Current)
            {
                predictions.Add(new PastPrediction(c.CustomerId, c.HeadlineClv, c.Tier, c.ChurnProbability, c.ChurnLevel, c.Frequency, c.Recency, c.T));
            }
        }

        return new EarlierForecast(DateOnly.FromDateTime(end), analysis.HorizonDays, analysis.BgNbd, earlier.Settings.TimeUnit.DaysPerUnit(), predictions);
    }

    private sealed class EarlierAnalysisFields
    {
        public Guid Id { get; set; }

        public DateTime? ObservationEnd { get; set; }

        public double HorizonDays { get; set; }

        public BgNbdParameters? BgNbd { get; set; }

        public int Customers { get; set; }
    }

    private sealed class PredictionFields
    {
        public string CustomerId { get; set; } = "";

        public double HeadlineClv { get; set; }

        public ValueTier Tier { get; set; }

        public double? ChurnProbability { get; set; }

        public ChurnLevel? ChurnLevel { get; set; }

        public int Frequency { get; set; }

        public double Recency { get; set; }

        public double T { get; set; }
    }
}
