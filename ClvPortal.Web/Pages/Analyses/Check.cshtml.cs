using System.ComponentModel.DataAnnotations;
using ClvPortal.Core;
using ClvPortal.Core.Ingest;
using ClvPortal.Web.Analyses;
using ClvPortal.Web.Data;
using Hangfire;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MongoDB.Driver;
using MongoDB.Driver.GridFS;

namespace ClvPortal.Web.Pages.Analyses;

/// <summary>
/// The check-columns step (<c>/Analyses/Check?id=</c>) between storing an upload and analysing it: the columns the
/// portal detected, the file's first rows, and a choice of column per field. Reads only the head of the stored
/// file (<see cref="FilePreview"/>), so it answers as fast for 1 GB as for 1 MB. Starting checks the chosen
/// columns on the first rows and queues the analysis; a wrong choice is shown here with what to do.
/// </summary>
[Authorize]
public sealed class CheckModel(PortalDb db, IBackgroundJobClient jobs) : PageModel
{
    /// <summary>First rows shown under the column names.</summary>
    public const int PreviewRows = 5;

    /// <summary>
    /// The longest column or sheet name a choice may carry. Real headers are far shorter; a longer one can only be a
    /// forged post, refused before it is looked up, quoted in a message or stored with the upload.
    /// </summary>
    public const int MaxNameLength = 1000;

    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public UploadDocument Upload { get; private set; } = null!;

    /// <summary>Null when the file could not be read at all; <see cref="FileProblem"/> says why.</summary>
    public FilePreview? Preview { get; private set; }

    public InputProblem? FileProblem { get; private set; }

    /// <summary>Why the chosen columns cannot be analysed (after Start), or which field the detection did not find.</summary>
    public InputProblem? MappingProblem { get; private set; }

    /// <summary>CDNOW text has fixed columns: shown, not chosen.</summary>
    public bool FixedLayout => Preview?.Description.Format == "cdnow";

    /// <summary>The choices of the form; field names match <see cref="ColumnMapping"/> (see <see cref="FilePreview.Roles"/>).</summary>
    public sealed class InputModel
    {
        [StringLength(MaxNameLength)]
        public string? CustomerId { get; set; }
        [StringLength(MaxNameLength)]
        public string? Date { get; set; }
        [StringLength(MaxNameLength)]
        public string? Amount { get; set; }
        [StringLength(MaxNameLength)]
        public string? Quantity { get; set; }
        [StringLength(MaxNameLength)]
        public string? UnitPrice { get; set; }
        [StringLength(MaxNameLength)]
        public string? InvoiceId { get; set; }
        [StringLength(MaxNameLength)]
        public string? Country { get; set; }
        [StringLength(MaxNameLength)]
        public string? Product { get; set; }
        public DateOrder DateOrder { get; set; }
        [StringLength(MaxNameLength)]
        public string? Sheet { get; set; }

        public ColumnMapping ToMapping() => new()
        {
            CustomerId = Blank(CustomerId), Date = Blank(Date), Amount = Blank(Amount), Quantity = Blank(Quantity),
            UnitPrice = Blank(UnitPrice), InvoiceId = Blank(InvoiceId), Country = Blank(Country), Product = Blank(Product),
        };

        public void SetMapping(ColumnMapping mapping)
        {
            (CustomerId, Date, Amount, Quantity) = (mapping.CustomerId, mapping.Date, mapping.Amount, mapping.Quantity);
            (UnitPrice, InvoiceId, Country, Product) = (mapping.UnitPrice, mapping.InvoiceId, mapping.Country, mapping.Product);
        }

        private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
    }

    /// <summary>The column chosen for a field (by <see cref="ColumnRole.Key"/>) in the form.</summary>
    public string? Chosen(ColumnRole role) => role.Get(Input.ToMapping());

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var (upload, answer) = await WaitingAsync(ct);
        if (upload is null)
        {
            return answer!;
        }

        Input.Sheet = upload.Settings.Sheet;
        Input.DateOrder = upload.Settings.DateOrder;
        await PreviewAsync(upload, upload.Settings.Columns, ct);
        ShowDetected();
        return Page();
    }

    /// <summary><c>POST</c> (Start): checks the chosen columns on the file's first rows, then queues the analysis.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var (upload, answer) = await PostedAsync(ct);
        if (upload is null)
        {
            return answer!;
        }

        if (Preview is null)
        {
            return Page();
        }

        var settings = upload.Settings;
        settings.Sheet = string.IsNullOrWhiteSpace(Input.Sheet) ? null : Input.Sheet.Trim();
        settings.DateOrder = Input.DateOrder;
        if (!FixedLayout)
        {
            settings.Columns = Input.ToMapping();
            settings.ColumnsConfirmed = true;
            var options = AnalyzeUploadJob.ToPipelineOptions(settings).Ingest;
            await using var stream = await OpenAsync(upload, ct);
            if (FilePreview.Check(stream, upload.FileName, options) is { } problem)
            {
                MappingProblem = problem;
                return Page();
            }
        }

        // Only from "waiting": of two clicks that get here at once, one queues the analysis.
        var started = await db.Uploads.FindOneAndUpdateAsync(
            Owned.Upload(upload.OwnerId, Id, u => u.Status == UploadStatus.AwaitingCheck),
            Builders<UploadDocument>.Update.Set(u => u.Settings, settings).Set(u => u.Status, UploadStatus.Queued).Set(u => u.Stage, "Queued"),
            new FindOneAndUpdateOptions<UploadDocument> { ReturnDocument = ReturnDocument.After },
            ct);
        if (started is not null)
        {
            await AnalysisQueue.EnqueueAsync(db, jobs, started);
        }

        return Redirect(AnalysisLinks.Status(Id));
    }

    /// <summary><c>POST ?handler=Sheet</c>: shows another worksheet of the workbook, with its columns detected afresh.</summary>
    public async Task<IActionResult> OnPostSheetAsync(CancellationToken ct)
    {
        var (upload, answer) = await PostedAsync(ct);
        if (upload is null)
        {
            return answer!;
        }

        if (Preview is not null)
        {
            ModelState.Clear();
        }

        ShowDetected();
        return Page();
    }

    /// <summary>
    /// For both posts: the upload still waiting for its check, with the posted form valid and the head of the file
    /// previewed (for the posted worksheet); otherwise null and the answer to give (404, progress, or the form refused).
    /// </summary>
    private async Task<(UploadDocument? Upload, IActionResult? Answer)> PostedAsync(CancellationToken ct)
    {
        var (upload, answer) = await WaitingAsync(ct);
        if (upload is null)
        {
            return (null, answer);
        }

        if (!ModelState.IsValid)
        {
            return (null, await RefuseAsync(upload, ct));
        }

        await PreviewAsync(upload, new ColumnMapping(), ct);
        return (upload, null);
    }

    /// <summary><c>POST ?handler=Discard</c>: removes the upload (a wrong file) and goes back to the upload page.</summary>
    public async Task<IActionResult> OnPostDiscardAsync([FromServices] ResultWriter results, CancellationToken ct)
    {
        var ownerId = Owner.Id(User);
        if (!await UploadDeletion.DeleteAsync(db, results, ownerId, Id, ct))
        {
            return NotFound();
        }

        return Redirect(AnalysisLinks.New);
    }

    /// <summary>
    /// A post no form of this page sends (a name longer than <see cref="MaxNameLength"/>, a date order it does not
    /// offer): the page as first shown, with the detected columns, and a message; nothing is stored or quoted.
    /// </summary>
    private async Task<IActionResult> RefuseAsync(UploadDocument upload, CancellationToken ct)
    {
        ModelState.Clear();
        Input = new InputModel { Sheet = upload.Settings.Sheet, DateOrder = upload.Settings.DateOrder };
        await PreviewAsync(upload, upload.Settings.Columns, ct);
        ShowDetected();
        MappingProblem = new InputProblem(
            "The choice sent is not one this page offers (a column or sheet name is too long, or the date order is unknown).",
            "Choose the columns, the sheet and the date order from the lists on this page, then start again.");
        return Page();
    }

    /// <summary>
    /// Reads the head of the stored file: the sheet and date order from the form, the currency from the upload form,
    /// columns from <paramref name="columns"/> or detected (a store export's own columns first).
    /// </summary>
    private async Task PreviewAsync(UploadDocument upload, ColumnMapping columns, CancellationToken ct)
    {
        Upload = upload;
        var options = new IngestOptions
        {
            Overrides = columns,
            Sheet = string.IsNullOrWhiteSpace(Input.Sheet) ? null : Input.Sheet.Trim(),
            DateOrder = Input.DateOrder,
            Currency = upload.Settings.Currency,
        };
        await using var stream = await OpenAsync(upload, ct);
        (Preview, FileProblem) = FilePreview.Read(stream, upload.FileName, options, PreviewRows);
    }

    // Seekable: a workbook is a zip, read from its directory at the end; a CSV is read from its first bytes only.
    private async Task<Stream> OpenAsync(UploadDocument upload, CancellationToken ct) =>
        await db.Files.OpenDownloadStreamAsync(upload.GridFsFileId, new GridFSDownloadOptions { Seekable = true }, ct);

    /// <summary>The columns the preview found (or was given) in the form, and the field it could not find, if any.</summary>
    private void ShowDetected()
    {
        if (Preview is not null)
        {
            Input.SetMapping(Preview.Description.Mapping);
            MappingProblem = Preview.Missing;
        }
    }

    /// <summary>
    /// The owner's upload while it waits for this step, or the answer instead: 404 when there is none (someone else's
    /// looks exactly the same), its progress once it has started (a second click, another tab).
    /// </summary>
    private async Task<(UploadDocument? Upload, IActionResult? Answer)> WaitingAsync(CancellationToken ct)
    {
        var upload = await db.Uploads.Find(Owned.Upload(Owner.Id(User), Id)).FirstOrDefaultAsync(ct);
        return upload switch
        {
            null => (null, NotFound()),
            { Status: not UploadStatus.AwaitingCheck } => (null, Redirect(AnalysisLinks.Status(Id))),
            _ => (upload, null),
        };
    }
}
