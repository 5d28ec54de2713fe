using ClvPortal.Web.Businesses;
using ClvPortal.Web.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ClvPortal.Web.Pages.Analyses;

/// <summary>"Did our earlier predictions come true?": an earlier analysis's predictions against what this analysis's file shows happened.</summary>
[Authorize]
public sealed class TrackRecordModel(PortalDb db) : PageModel
{
    public TrackRecordView View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, Guid earlierId, CancellationToken ct)
    {
        var view = await TrackRecordView.LoadAsync(db, Owner.Id(User), id, earlierId, ct);
        if (view is null)
        {
            return NotFound();
        }

        View = view;
        return Page();
    }
}
