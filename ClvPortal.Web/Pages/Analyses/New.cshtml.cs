using ClvPortal.Web.Analyses;
using ClvPortal.Web.Businesses;
using ClvPortal.Web.Data;
using ClvPortal.Web.Results;
using Hangfire;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using MongoDB.Driver;

namespace ClvPortal.Web.Pages.Analyses;

/// <summary>
/// The upload page. The form posts to <see cref="UploadEndpoint"/> (a streaming endpoint, not this
/// page) through wwwroot/js/upload.js, which shows the upload progress; the file then waits on the
/// check-columns page (<see cref="CheckModel"/>) until its owner starts the analysis.
/// </summary>
[Authorize]
public sealed class NewModel(IOptions<UploadOptions> options, PortalDb db, IBackgroundJobClient jobs, TimeProvider clock) : PageModel
{
    public long MaxBytes => options.Value.MaxBytes;

    public string MaxSize => NumberFormats.Size(MaxBytes);

    /// <summary>The owner's businesses, for the form's choice.</summary>
    public IReadOnlyList<BusinessDocument> Businesses { get; private set; } = [];

    /// <summary>The business picked when the page opens: the one asked for, else the one of the owner's latest upload.</summary>
    public Guid? SelectedBusiness { get; private set; }

    public async Task OnGetAsync(Guid? business, CancellationToken ct)
    {
        var ownerId = Owner.Id(User)!;
        await BusinessDirectory.AdoptAsync(db, ownerId, clock.GetUtcNow().UtcDateTime, ct);
        Businesses = await BusinessDirectory.ListAsync(db, ownerId, ct);
        SelectedBusiness = business is { } asked && Businesses.Any(b => b.Id == asked)
            ? asked
            : await db.Uploads.Find(Owned.Uploads(ownerId, u => !u.IsSample)).SortByDescending(u => u.CreatedAt).Project(u => u.BusinessId).FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// <c>POST /Analyses/New?handler=Sample</c>: analyses the generated sample shop for the signed-in user, once: a
    /// user who has it already is shown it in My analyses instead of getting another copy.
    /// </summary>
    public async Task<IActionResult> OnPostSampleAsync(CancellationToken ct)
    {
        if (await SampleData.FindAsync(db, User, ct) is null && await SampleData.CreateAsync(db, jobs, User, clock, ct) is { } upload)
        {
            return Redirect(AnalysisLinks.Status(upload.Id));
        }

        TempData["Message"] = "You already have the sample data: it is listed below as \"Sample data\". Delete it first to start it again.";
        return Redirect(AnalysisLinks.Index);
    }
}
