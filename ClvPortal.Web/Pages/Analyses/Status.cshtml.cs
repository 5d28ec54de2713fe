using ClvPortal.Web.Analyses;
using ClvPortal.Web.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MongoDB.Driver;

namespace ClvPortal.Web.Pages.Analyses;

/// <summary>
/// Live progress of one analysis (<c>/Analyses/Status?id=</c>); wwwroot/js/status.js polls the
/// <c>Progress</c> handler every second and moves on to the results page when the analysis succeeds.
/// </summary>
[Authorize]
public sealed class StatusModel(PortalDb db) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    public UploadDocument Upload { get; private set; } = null!;

    public string ResultsUrl => AnalysisLinks.Results(Id);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await FindAsync(ct) is not { } upload)
        {
            return NotFound();
        }

        if (upload.Status == UploadStatus.Succeeded)
        {
            return Redirect(ResultsUrl);
        }

        Upload = upload;
        return Page();
    }

    /// <summary><c>GET /Analyses/Status?id=...&amp;handler=Progress</c>: the small JSON the status page polls.</summary>
    public async Task<IActionResult> OnGetProgressAsync(CancellationToken ct)
    {
        if (await FindAsync(ct) is not { } upload)
        {
            return NotFound();
        }

        Response.Headers.CacheControl = "no-store";
        return new JsonResult(new UploadProgressView(
            upload.Status.ToString(),
            upload.Stage,
            upload.Percent,
            upload.Error,
            upload.ErrorWhatToDo,
            upload.Status == UploadStatus.Succeeded ? ResultsUrl : null));
    }

    private async Task<UploadDocument?> FindAsync(CancellationToken ct)
    {
        var ownerId = Owner.Id(User);
        return ownerId is null
            ? null
            : await db.Uploads.Find(u => u.Id == Id && u.OwnerId == ownerId).FirstOrDefaultAsync(ct);
    }
}

public sealed record UploadProgressView(string Status, string Stage, double Percent, string? Error, string? WhatToDo, string? ResultsUrl);
