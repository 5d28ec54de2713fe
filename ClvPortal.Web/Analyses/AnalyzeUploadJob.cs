using ClvPortal.Core;
using ClvPortal.Core.Ingest;
using ClvPortal.Core.Pipeline;
using ClvPortal.Web.Businesses;
using ClvPortal.Web.Data;
using Hangfire;
using Hangfire.Server;
using Microsoft.Extensions.Options;
using MongoDB.Driver;
using MongoDB.Driver.GridFS;

namespace ClvPortal.Web.Analyses;

/// <summary>
/// The Hangfire job that analyses one upload: GridFS -> Core pipeline -> results. Thin and
/// re-runnable: it takes only the upload id, replaces any results of an earlier attempt, and can run
/// twice without harm. A problem with the file fails the analysis at once with the user's message;
/// anything else is retried by Hangfire, and the last attempt marks the upload failed.
/// </summary>
public sealed class AnalyzeUploadJob(
    PortalDb db,
    PipelineRunner pipeline,
    ResultWriter writer,
    IAnalysisOutcomeNotifier notifier,
    IOptions<UploadOptions> options,
    TimeProvider clock,
    ILogger<AnalyzeUploadJob> logger)
{
    /// <summary>Retries after an unexpected error (database blip, worker restart) before the upload is marked failed.</summary>
    public const int Retries = 3;

    public const string GenericError = "The analysis stopped because of an error on our side.";

    public const string GenericWhatToDo = "Please upload the file again in a few minutes. If it keeps failing, contact support and mention the file name.";

    /// <param name="context">Supplied by Hangfire (enqueue with null); tells which retry this is. Null when called directly: the only attempt.</param>
    [AutomaticRetry(Attempts = Retries, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task RunAsync(Guid uploadId, PerformContext? context, CancellationToken ct)
    {
        // Decided now, while the job storage has just answered: when the attempt fails because MongoDB went
        // away, asking the same storage which retry this is would fail too, and the upload would stay "Running".
        var lastAttempt = IsLastAttempt(context);
        var upload = await db.Uploads.FindOneAndUpdateAsync(
            u => u.Id == uploadId,
            Builders<UploadDocument>.Update
                .Set(u => u.Status, UploadStatus.Running)
                .Set(u => u.Stage, UploadProgressReporter.StageText(PipelineStage.Reading))
                .Set(u => u.Percent, 0)
                .Set(u => u.StartedAt, clock.GetUtcNow().UtcDateTime)
                .Set(u => u.FinishedAt, null)
                .Set(u => u.Error, null)
                .Set(u => u.ErrorWhatToDo, null)
                .Inc(u => u.Attempts, 1)
                .Push(u => u.Workers, WorkerName(context)),
            new FindOneAndUpdateOptions<UploadDocument> { ReturnDocument = ReturnDocument.After },
            ct);
        if (upload is null)
        {
            // Deleted by its owner while queued: nothing to do, and nothing to retry.
            logger.LogInformation("Upload {UploadId} no longer exists; skipping its analysis", uploadId);
            return;
        }

        try
        {
            var outcome = await AnalyseAsync(upload, ct);
            if (outcome.Problem is { } problem)
            {
                await writer.DeleteResultsAsync(uploadId, ct);
                await TrackRecordScoring.DeleteForAsync(db, uploadId, ct);
                await FinishAsync(upload, UploadStatus.Failed, problem, null);
                return;
            }

            await SetStageAsync(uploadId, "Saving the results", UploadProgressReporter.PipelineShare);
            var summary = await writer.WriteAsync(upload, outcome.Result!, ct);
            // Before the outcome: the results page a user opens from the email shows the track records at once.
            await TrackRecordScoring.ScoreEarlierAsync(db, upload, outcome.Result!, clock.GetUtcNow().UtcDateTime, logger, ct);
            if (!await FinishAsync(upload, UploadStatus.Succeeded, null, summary))
            {
                // Deleted by its owner while it ran: do not leave orphaned results behind.
                await writer.DeleteResultsAsync(uploadId, CancellationToken.None);
                await TrackRecordScoring.DeleteForAsync(db, uploadId, CancellationToken.None);
            }
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogError(ex, "Analysis of upload {UploadId} failed ({Attempt})", uploadId, lastAttempt ? "last attempt" : "will be retried");
            if (lastAttempt)
            {
                await FinishAsync(upload, UploadStatus.Failed, new InputProblem(GenericError, GenericWhatToDo), null);
            }
            else
            {
                try
                {
                    await SetStageAsync(uploadId, "Retrying after an error", 0);
                }
                catch (Exception stageError) when (IsStorageError(stageError))
                {
                    // For show only; the retry rewrites the stage, and the error below is the one Hangfire records.
                    logger.LogWarning(stageError, "Could not show the retry of upload {UploadId}", uploadId);
                }
            }

            throw;
        }
    }

    /// <summary>
    /// Whether Hangfire will not retry this attempt: its retry count has reached <see cref="Retries"/>. Read from the
    /// parameters Hangfire loaded with the job when it can (no storage round trip). Called directly, without a
    /// context, a run is its only attempt.
    /// </summary>
    public static bool IsLastAttempt(PerformContext? context) =>
        context is null || context.GetJobParameter<int>("RetryCount", allowStale: true) >= Retries;

    /// <summary>How many times the final status write and the email's enqueue are tried before the job gives up on them.</summary>
    public const int FinishTries = 6;

    /// <summary>The Hangfire server running this attempt (host:process:random), or this process when called directly.</summary>
    public static string WorkerName(PerformContext? context) =>
        context?.ServerId ?? $"{Environment.MachineName.ToLowerInvariant()}:{Environment.ProcessId}";

    /// <summary>The user's settings as the pipeline's options.</summary>
    public static PipelineOptions ToPipelineOptions(AnalysisSettings settings) => new()
    {
        Ingest = new IngestOptions
        {
            Overrides = settings.Columns,
            Sheet = settings.Sheet,
            DateOrder = settings.DateOrder,
            Currency = settings.Currency,
            DetectColumns = !settings.ColumnsConfirmed,
        },
        Returns = settings.Returns,
        TimeUnit = settings.TimeUnit,
        HorizonMonths = settings.HorizonMonths,
        MonthlyDiscountRate = settings.MonthlyDiscountRate,
    };

    private async Task<PipelineOutcome> AnalyseAsync(UploadDocument upload, CancellationToken ct)
    {
        // Seekable: XLSX is a zip, read from its central directory at the end.
        await using var input = await db.Files.OpenDownloadStreamAsync(upload.GridFsFileId, new GridFSDownloadOptions { Seekable = true }, ct);
        var progress = new UploadProgressReporter(db, upload.Id, TimeSpan.FromMilliseconds(options.Value.ProgressIntervalMs), clock, logger);
        try
        {
            // A day's grace for time zones: a purchase dated after tomorrow here is a typing error (2099 for 2019).
            var options = ToPipelineOptions(upload.Settings) with { LatestPossibleDate = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(1) };
            return pipeline.Run(input, upload.FileName, options, progress, ct);
        }
        catch (InputProblemException ex)
        {
            // Core promises to return problems as values; should one escape, it is still the user's problem, not ours.
            return PipelineOutcome.Failure(ex.Problem);
        }
        finally
        {
            await progress.FlushAsync();
        }
    }

    private Task SetStageAsync(Guid uploadId, string stage, double percent) =>
        db.Uploads.UpdateOneAsync(
            u => u.Id == uploadId,
            Builders<UploadDocument>.Update.Set(u => u.Stage, stage).Set(u => u.Percent, percent));

    /// <summary>Writes the final status and enqueues the email; false when the upload was deleted meanwhile.</summary>
    private async Task<bool> FinishAsync(UploadDocument upload, UploadStatus status, InputProblem? problem, AnalysisSummary? summary)
    {
        var update = Builders<UploadDocument>.Update
            .Set(u => u.Status, status)
            .Set(u => u.Stage, status == UploadStatus.Succeeded ? "Done" : "Failed")
            .Set(u => u.Percent, status == UploadStatus.Succeeded ? 100 : 0)
            .Set(u => u.FinishedAt, clock.GetUtcNow().UtcDateTime)
            .Set(u => u.Error, problem?.Message)
            .Set(u => u.ErrorWhatToDo, problem?.WhatToDo)
            .Set(u => u.Customers, summary?.Customers)
            .Set(u => u.TotalRevenue, summary?.TotalRevenue)
            .Set(u => u.HeadlineClvTotal, summary?.HeadlineClvTotal)
            .Set(u => u.HeadlineModel, summary?.HeadlineModel)
            .Set(u => u.Currency, summary?.Currency);
        var written = await PersistAsync("write the outcome of", upload.Id, () => db.Uploads.UpdateOneAsync(u => u.Id == upload.Id, update));
        if (written.MatchedCount == 0)
        {
            return false;
        }

        // Its own job: a mail server outage is retried on its own and never fails the analysis.
        await PersistAsync("queue the email for", upload.Id, () => Task.FromResult(notifier.Notify(upload.Id)));
        return true;
    }

    /// <summary>
    /// Tries <paramref name="action"/> up to <see cref="FinishTries"/> times, waiting 1, 2, 4, 8, 16 s between tries
    /// (half a minute in all): a MongoDB election or restart must not leave an analysis unfinished when its outcome
    /// is known. Both writes are idempotent (a status set by id; an email job that sends once per outcome). Should
    /// MongoDB stay away longer, the job fails and <see cref="LostAnalysisSweeper"/> finishes the upload later.
    /// </summary>
    private async Task<T> PersistAsync<T>(string what, Guid uploadId, Func<Task<T>> action)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action();
            }
            catch (Exception ex) when (attempt < FinishTries && IsStorageError(ex))
            {
                var delay = TimeSpan.FromSeconds(Math.Pow(2, attempt - 1));
                logger.LogWarning(ex, "Could not {What} upload {UploadId}; trying again in {Delay}", what, uploadId, delay);
                await Task.Delay(delay, clock);
            }
        }
    }

    private static bool IsStorageError(Exception ex) =>
        ex is MongoException or TimeoutException or BackgroundJobClientException or Jobs.JobStorageUnavailableException;
}
