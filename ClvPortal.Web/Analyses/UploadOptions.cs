using System.ComponentModel.DataAnnotations;

namespace ClvPortal.Web.Analyses;

/// <summary>The <c>Portal:Uploads</c> configuration section.</summary>
public sealed class UploadOptions
{
    public const string Section = "Portal:Uploads";

    /// <summary>
    /// Largest file accepted, in bytes. Default 1 GiB: a few million transaction rows as CSV. The
    /// request size limit is raised to this (plus the form's framing) on the upload endpoint only.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long MaxBytes { get; set; } = 1L << 30;

    /// <summary>
    /// How often the job writes its progress to the upload document, in milliseconds. Default 500: the
    /// status page polls every second, and more writes would only load the database.
    /// </summary>
    [Range(0, 60_000)]
    public int ProgressIntervalMs { get; set; } = 500;

    /// <summary>
    /// Seconds after which a stored upload whose analysis was never queued (its web process stopped
    /// between saving the file and queuing the job) is queued by the minutely recurring job. Default 120: far longer
    /// than the milliseconds between the two steps, short enough that nobody waits long.
    /// </summary>
    [Range(1, 86_400)]
    public int StrandedAfterSeconds { get; set; } = 120;

    /// <summary>
    /// Seconds after which the chunks of a file that never finished arriving (its web process stopped
    /// mid-upload) are deleted by a worker. Default 86,400 (a day): far longer than any upload takes.
    /// </summary>
    [Range(1, 30 * 86_400)]
    public int AbandonedChunksAfterSeconds { get; set; } = 86_400;
}
