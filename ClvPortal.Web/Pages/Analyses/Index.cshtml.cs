using ClvPortal.Web.Analyses;
using ClvPortal.Web.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MongoDB.Driver;

namespace ClvPortal.Web.Pages.Analyses;

/// <summary>"My analyses": every upload of the signed-in user, newest first, with delete.</summary>
[Authorize]
public sealed class IndexModel(PortalDb db, ResultWriter results) : PageModel
{
    public IReadOnlyList<UploadDocument> Uploads { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var ownerId = Owner.Id(User);
        Uploads = await db.Uploads.Find(Owned.Uploads(ownerId))
            .SortByDescending(u => u.CreatedAt)
            .ToListAsync(ct);
    }

    /// <summary><c>POST /Analyses?handler=Delete</c> with <c>id</c>: removes the file, results, customer results and share links.</summary>
    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        var ownerId = Owner.Id(User);
        var fileName = await db.Uploads.Find(Owned.Upload(ownerId, id)).Project(u => u.FileName).FirstOrDefaultAsync(ct);
        if (fileName is null || !await UploadDeletion.DeleteAsync(db, results, ownerId, id, ct))
        {
            return NotFound();
        }

        Message = $"Deleted the analysis of {fileName}.";
        return RedirectToPage();
    }

    public static string StatusBadge(UploadStatus status) => status switch
    {
        UploadStatus.Succeeded => "text-bg-success",
        UploadStatus.Failed => "text-bg-danger",
        UploadStatus.Running => "text-bg-primary",
        UploadStatus.AwaitingCheck => "text-bg-warning",
        _ => "text-bg-secondary",
    };

    public static string StatusText(UploadStatus status) => status switch
    {
        UploadStatus.Succeeded => "Ready",
        UploadStatus.Failed => "Failed",
        UploadStatus.Running => "Running",
        UploadStatus.AwaitingCheck => "Check columns",
        _ => "Queued",
    };
}
