using ClvPortal.Core.Cleaning;
using ClvPortal.Core.Features;
using ClvPortal.Core.Ingest;
using MongoDB.Bson;

namespace ClvPortal.Web.Data;

public enum UploadStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,

    /// <summary>Stored, waiting for its owner to check the detected columns; no job until they start it.</summary>
    AwaitingCheck,
}

/// <summary>What the user chose on the upload page. Null means "detect it" or "use the default".</summary>
public sealed class AnalysisSettings
{
    public ColumnMapping Columns { get; set; } = new();

    public string? Sheet { get; set; }

    public DateOrder DateOrder { get; set; } = DateOrder.Auto;

    public TimeUnit TimeUnit { get; set; } = TimeUnit.Days;

    public int HorizonMonths { get; set; } = 12;

    public ReturnsHandling Returns { get; set; } = ReturnsHandling.Net;

    public double MonthlyDiscountRate { get; set; }

    /// <summary>The currency of the amounts (ISO 4217, "GBP"); null to detect it from the file.</summary>
    public string? Currency { get; set; }

    /// <summary>
    /// The owner checked <see cref="Columns"/> column by column before the analysis started: fields left null
    /// there are not in the file, so the analysis reads them from nowhere instead of detecting them again.
    /// </summary>
    public bool ColumnsConfirmed { get; set; }
}

/// <summary>
/// One uploaded file and the state of its analysis (collection <c>uploads</c>). The file itself is in
/// GridFS; results are in <c>analysisResults</c> (one document, keyed by the upload id) and
/// <c>customerResults</c> (one per customer).
/// </summary>
public sealed class UploadDocument
{
    public Guid Id { get; set; }

    /// <summary>The Identity user id of the owner. Every query filters on it.</summary>
    public required string OwnerId { get; set; }

    /// <summary>Where the result and failure emails go: the owner's email when they uploaded.</summary>
    public string? OwnerEmail { get; set; }

    /// <summary>The name the browser sent, for display only: never used as a path.</summary>
    public required string FileName { get; set; }

    public long SizeBytes { get; set; }

    public string Sha256 { get; set; } = "";

    /// <summary>The portal's generated sample shop ("Try it with sample data"), not the owner's own customers.</summary>
    public bool IsSample { get; set; }

    /// <summary>
    /// The business (data set) the file belongs to. Null in uploads stored before businesses existed: they join the
    /// owner's default business the first time a page lists them (<see cref="Businesses.BusinessDirectory.AdoptAsync"/>).
    /// </summary>
    public Guid? BusinessId { get; set; }

    public ObjectId GridFsFileId { get; set; }

    public AnalysisSettings Settings { get; set; } = new();

    public UploadStatus Status { get; set; }

    /// <summary>The pipeline stage shown on the status page ("Reading", "Cleaning", ...).</summary>
    public string Stage { get; set; } = "Queued";

    public double Percent { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    /// <summary>On failure: what went wrong, for the user.</summary>
    public string? Error { get; set; }

    /// <summary>On failure: what the user can do about it.</summary>
    public string? ErrorWhatToDo { get; set; }

    public string? JobId { get; set; }

    public int Attempts { get; set; }

    /// <summary>
    /// The worker of each attempt, in order: its Hangfire server id (<c>host:process:random</c>), so an
    /// admin can tell which machine ran an analysis, or died running it. For diagnosis; shown nowhere.
    /// </summary>
    public List<string> Workers { get; set; } = [];

    /// <summary>
    /// The outcome (Succeeded or Failed) the owner has been emailed about, so a re-run of a finished
    /// analysis (its worker died before Hangfire recorded the success) sends no second email.
    /// </summary>
    public UploadStatus? EmailedFor { get; set; }

    public DateTime? EmailedAt { get; set; }

    /// <summary>While an email job sends: who claimed the send, and since when (claims expire, see <c>AnalysisEmailJob</c>).</summary>
    public string? EmailSender { get; set; }

    public DateTime? EmailSendingSince { get; set; }

    // Summary for the "My analyses" list, written when the analysis succeeds.
    public int? Customers { get; set; }

    public double? TotalRevenue { get; set; }

    public double? HeadlineClvTotal { get; set; }

    public string? HeadlineModel { get; set; }

    /// <summary>The ISO 4217 code of the file's amounts ("GBP"), null when the file named none: how My analyses and the email write money.</summary>
    public string? Currency { get; set; }
}
