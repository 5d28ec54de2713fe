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
public sealed class StatusModel(PortalDb db, ILogger<StatusModel> logger) : PageModel
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

        if (upload.Status == UploadStatus.AwaitingCheck)
        {
            return Redirect(AnalysisLinks.Check(Id));
        }

        Upload = upload;
        return Page();
    }

    /// <summary>
    /// <c>GET /Analyses/Status?id=...&amp;handler=Progress</c>: the small JSON the status page polls. Its errors are
    /// problem JSON too (RFC 9457), never an HTML page: 404 when the analysis is gone, 503 while MongoDB cannot
    /// be read (status.js keeps trying), 500 for anything else.
    /// </summary>
    public async Task<IActionResult> OnGetProgressAsync(CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store";
        UploadDocument? upload;
        try
        {
            upload = await FindAsync(ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            var unreachable = ex is MongoException or TimeoutException;
            logger.LogWarning(ex, "Reading the progress of upload {UploadId} failed", Id);
            return Problem(
                unreachable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError,
                "The progress cannot be read right now.",
                "The analysis itself continues. This page tries again by itself.");
        }

        if (upload is null)
        {
            return Problem(StatusCodes.Status404NotFound, "This analysis no longer exists.", "It may have been deleted from My analyses.");
        }

        return new JsonResult(new UploadProgressView(
            upload.Status.ToString(),
            upload.Stage,
            upload.Percent,
            upload.Error,
            upload.ErrorWhatToDo,
            upload.Status == UploadStatus.Succeeded ? ResultsUrl : null));
    }

    private JsonResult Problem(int status, string title, string detail) =>
        new(new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = Request.Path + Request.QueryString })
        {
            StatusCode = status,
            ContentType = "application/problem+json",
        };

    private async Task<UploadDocument?> FindAsync(CancellationToken ct)
    {
        return await db.Uploads.Find(Owned.Upload(Owner.Id(User), Id)).FirstOrDefaultAsync(ct);
    }
}

public sealed record UploadProgressView(string Status, string Stage, double Percent, string? Error, string? WhatToDo, string? ResultsUrl);
