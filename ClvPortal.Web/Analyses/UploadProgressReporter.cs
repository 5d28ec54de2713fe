using ClvPortal.Core.Pipeline;
using ClvPortal.Web.Data;
using MongoDB.Driver;

namespace ClvPortal.Web.Analyses;

/// <summary>
/// Writes the pipeline's stage and percent into the upload document for the status page, at most once
/// per interval (and on every stage change), one write at a time: a million-row file reports far more
/// often than anyone can read, and the job must not wait on the database to keep computing.
/// </summary>
public sealed class UploadProgressReporter(PortalDb db, Guid uploadId, TimeSpan interval, TimeProvider clock, ILogger logger)
    : IProgress<PipelineProgress>
{
    /// <summary>The share of the bar the pipeline fills; saving the results fills the rest.</summary>
    public const double PipelineShare = 95;

    private readonly Lock _gate = new();
    private Task _pending = Task.CompletedTask;
    private long _lastWrite;
    private PipelineStage? _lastStage;

    public void Report(PipelineProgress value)
    {
        lock (_gate)
        {
            var now = clock.GetTimestamp();
            var due = value.Stage != _lastStage || clock.GetElapsedTime(_lastWrite, now) >= interval;
            if (!due || !_pending.IsCompleted)
            {
                return;
            }

            _lastWrite = now;
            _lastStage = value.Stage;
            _pending = WriteAsync(StageText(value.Stage), Math.Clamp(value.Percent, 0, 100) * PipelineShare / 100);
        }
    }

    /// <summary>Waits for the write in flight, so a later status write cannot be overtaken by it.</summary>
    public Task FlushAsync()
    {
        lock (_gate)
        {
            return _pending;
        }
    }

    public static string StageText(PipelineStage stage) => stage switch
    {
        PipelineStage.Reading => "Reading the file",
        PipelineStage.Cleaning => "Cleaning the transactions",
        PipelineStage.Features => "Computing customer features",
        PipelineStage.Models => "Fitting and testing the models",
        PipelineStage.Aggregates => "Summarising",
        _ => "Finishing",
    };

    private async Task WriteAsync(string stage, double percent)
    {
        try
        {
            await db.Uploads.UpdateOneAsync(
                u => u.Id == uploadId && u.Status == UploadStatus.Running,
                Builders<UploadDocument>.Update.Set(u => u.Stage, stage).Set(u => u.Percent, Math.Round(percent, 1)));
        }
        catch (Exception ex) when (ex is MongoException or TimeoutException)
        {
            // Progress is for show; the analysis carries on and the final status write tells the truth.
            logger.LogWarning(ex, "Could not write progress of upload {UploadId}", uploadId);
        }
    }
}
