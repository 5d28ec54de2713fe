using ClvPortal.Web.Data;
using ClvPortal.Web.Results;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MongoDB.Driver;

namespace ClvPortal.Web.Pages.Share;

/// <summary>
/// The read-only dashboard behind a share link, for people without an account. A link that no longer
/// works answers 404 with a page that says why (switched off, expired, analysis deleted, or not a link
/// at all) and whom to ask: the person who shared it. Saying "switched off" tells nothing to a guesser,
/// since only the holder of the 256-bit token can reach that answer.
/// </summary>
[AllowAnonymous]
public sealed class ViewModel(PortalDb db, TimeProvider clock) : PageModel
{
    public Dashboard Dashboard { get; private set; } = null!;

    public DateTime ExpiresAt { get; private set; }

    /// <summary>Why the link shows no results, for the visitor; null when it works.</summary>
    public string? Unavailable { get; private set; }

    public const string AskTheSharer = "Ask the person who shared it with you for a new link.";

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken cancellationToken)
    {
        // The token is in the URL: keep it out of Referer headers, search indexes and shared caches.
        Response.Headers["Referrer-Policy"] = "no-referrer";
        Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
        Response.Headers.CacheControl = "no-store";

        var link = ShareTokens.IsWellFormed(token)
            ? await db.ShareLinks.Find(s => s.TokenHash == ShareTokens.Hash(token)).FirstOrDefaultAsync(cancellationToken)
            : null;
        if (link is null)
        {
            return NotAvailable("This link does not lead to any shared results. It may be incomplete: check that you copied all of it.");
        }

        if (link.RevokedAt is not null)
        {
            return NotAvailable("The person who shared this link has switched it off.");
        }

        if (link.ExpiresAt <= clock.GetUtcNow().UtcDateTime)
        {
            return NotAvailable($"This link expired on {NumberFormats.Date(link.ExpiresAt)}.");
        }

        var dashboard = await Dashboard.LoadAsync(db, link.UploadId, link.OwnerId, cancellationToken);
        if (dashboard is null)
        {
            return NotAvailable("The analysis behind this link has been deleted by the person who shared it.");
        }

        Dashboard = dashboard;
        ExpiresAt = link.ExpiresAt;
        return Page();
    }

    private PageResult NotAvailable(string why)
    {
        Unavailable = why;
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
