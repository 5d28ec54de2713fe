using System.ComponentModel.DataAnnotations;
using ClvPortal.Web.Data;
using ClvPortal.Web.Results;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;

namespace ClvPortal.Web.Pages.Analyses;

/// <summary>
/// The owner's read-only links to one analysis: create one with an expiry, see which are live, revoke any.
/// The token is shown once, right after it is created; only its hash is kept.
/// </summary>
[Authorize]
public sealed class SharesModel(PortalDb db, IOptions<ResultsOptions> options, TimeProvider clock) : PageModel
{
    public sealed class InputModel
    {
        [Display(Name = "Link expires after")]
        public int ExpiryDays { get; set; } = 30;
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public Guid UploadId { get; private set; }

    public string FileName { get; private set; } = "";

    public IReadOnlyList<ShareLinkDocument> Links { get; private set; } = [];

    public IReadOnlyList<int> ExpiryChoices => options.Value.ShareExpiryDays;

    /// <summary>The link just created, shown once (TempData survives the redirect after the POST).</summary>
    [TempData]
    public string? NewLink { get; set; }

    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        return Page();
    }

    public async Task<IActionResult> OnPostCreateAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (!ExpiryChoices.Contains(Input.ExpiryDays))
        {
            ModelState.AddModelError("Input.ExpiryDays", $"Choose an expiry of {string.Join(", ", ExpiryChoices)} days.");
            return Page();
        }

        var now = Now;
        var (link, token) = ShareTokens.NewLink(id, Owner.Id(User), now, now.AddDays(Input.ExpiryDays));
        await db.ShareLinks.InsertOneAsync(link, cancellationToken: cancellationToken);

        // The request's own scheme and host: the link must open where the owner is looking at it now.
        NewLink = Url.Page("/Share/View", pageHandler: null, values: new { token }, protocol: Request.Scheme);
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id, string linkId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken) || !ObjectId.TryParse(linkId, out var link))
        {
            return NotFound();
        }

        var revoked = await db.ShareLinks.UpdateOneAsync(
            Owned.ShareLinks(Owner.Id(User), id, s => s.Id == link && s.RevokedAt == null),
            Builders<ShareLinkDocument>.Update.Set(s => s.RevokedAt, Now),
            cancellationToken: cancellationToken);
        return revoked.MatchedCount == 0 && !Links.Any(l => l.Id == link) ? NotFound() : RedirectToPage(new { id });
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var ownerId = Owner.Id(User);
        if (await ResultLookups.CustomerCountAsync(db, id, ownerId, cancellationToken) is null)
        {
            return false;
        }

        UploadId = id;
        FileName = await ResultLookups.FileNameAsync(db, id, ownerId, cancellationToken);
        Links = await db.ShareLinks.Find(Owned.ShareLinks(ownerId, id))
            .SortByDescending(s => s.CreatedAt)
            .ToListAsync(cancellationToken);
        return true;
    }
}
