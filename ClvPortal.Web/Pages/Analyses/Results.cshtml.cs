using ClvPortal.Web.Data;
using ClvPortal.Web.Results;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ClvPortal.Web.Pages.Analyses;

/// <summary>The results dashboard of one finished analysis, for its owner.</summary>
[Authorize]
public sealed class ResultsModel(PortalDb db) : PageModel
{
    public Dashboard Dashboard { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        // Someone else's analysis is "not found", not "forbidden": its existence is not confirmed.
        var dashboard = await Dashboard.LoadAsync(db, id, Owner.Id(User), cancellationToken);
        if (dashboard is null)
        {
            return NotFound();
        }

        Dashboard = dashboard;
        return Page();
    }
}
