using ClvPortal.Web.Data;
using ClvPortal.Web.Results;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MongoDB.Driver;

namespace ClvPortal.Web.Pages.Share;

/// <summary>
/// The read-only dashboard behind a share link, for people without an account. An unknown, expired or
/// revoked token is 404, the same answer as a token that never existed.
/// </summary>
[AllowAnonymous]
public sealed class ViewModel(PortalDb db, TimeProvider clock) : PageModel
{
    public Dashboard Dashboard { get; private set; } = null!;

    public DateTime ExpiresAt { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken cancellationToken)
    {
        // The token is in the URL: keep it out of Referer headers, search indexes and shared caches.
        Response.Headers["Referrer-Policy"] = "no-referrer";
        Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
        Response.Headers.CacheControl = "no-store";

        if (!ShareTokens.IsWellFormed(token))
        {
            return NotFound();
        }

        var hash = ShareTokens.Hash(token);
        var link = await db.ShareLinks.Find(s => s.TokenHash == hash).FirstOrDefaultAsync(cancellationToken);
        if (link is null || link.RevokedAt is not null || link.ExpiresAt <= clock.GetUtcNow().UtcDateTime)
        {
            return NotFound();
        }

        var dashboard = await Dashboard.LoadAsync(db, link.UploadId, link.OwnerId, cancellationToken);
        if (dashboard is null)
        {
            return NotFound();
        }

        Dashboard = dashboard;
        ExpiresAt = link.ExpiresAt;
        return Page();
    }
}
