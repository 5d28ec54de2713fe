using ClvPortal.Web.Analyses;
using ClvPortal.Web.Businesses;
using ClvPortal.Web.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MongoDB.Driver;

namespace ClvPortal.Web.Pages.Analyses;

/// <summary>"My analyses": every upload of the signed-in user, newest first, with delete, and the businesses they belong to.</summary>
[Authorize]
public sealed class IndexModel(PortalDb db, ResultWriter results, TimeProvider clock) : PageModel
{
    public IReadOnlyList<UploadDocument> Uploads { get; private set; } = [];

    /// <summary>The owner's businesses by name, each with its analyses' count.</summary>
    public IReadOnlyList<(BusinessDocument Business, int Analyses)> Businesses { get; private set; } = [];

    public string? BusinessName(Guid? id) => Businesses.FirstOrDefault(b => b.Business.Id == id).Business?.Name;

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var ownerId = Owner.Id(User);
        await BusinessDirectory.AdoptAsync(db, ownerId, clock.GetUtcNow().UtcDateTime, ct);
        Uploads = await db.Uploads.Find(Owned.Uploads(ownerId))
            .SortByDescending(u => u.CreatedAt)
            .ToListAsync(ct);
        var counts = Uploads.Where(u => u.BusinessId is not null).CountBy(u => u.BusinessId!.Value).ToDictionary();
        Businesses = [.. (await BusinessDirectory.ListAsync(db, ownerId, ct)).Select(b => (b, counts.GetValueOrDefault(b.Id)))];
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
