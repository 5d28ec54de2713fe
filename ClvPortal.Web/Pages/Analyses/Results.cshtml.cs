using ClvPortal.Web.Businesses;
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

    /// <summary>The earlier analyses of the same business this analysis's file checked.</summary>
    public IReadOnlyList<TrackRecordLink> Checked { get; private set; } = [];

    /// <summary>The newer files that checked this analysis's predictions.</summary>
    public IReadOnlyList<TrackRecordLink> CheckedBy { get; private set; } = [];

    /// <summary>A file of the same business with newer data, analysed before this one: it could not check this analysis.</summary>
    public string? NewerAnalysedFirst { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        // Someone else's analysis is "not found", not "forbidden": its existence is not confirmed.
        var dashboard = await Dashboard.LoadAsync(db, id, Owner.Id(User), cancellationToken);
        if (dashboard is null)
        {
            return NotFound();
        }

        Dashboard = dashboard;
        (Checked, CheckedBy) = await TrackRecordLink.LoadAsync(db, Owner.Id(User), id, cancellationToken);
        if (CheckedBy.Count == 0 && dashboard.Upload?.BusinessId is { } businessId
            && await BusinessHistory.LoadAsync(db, Owner.Id(User), businessId, cancellationToken) is { } history
            && history.Analyses.FirstOrDefault(a => a.Upload.Id == id) is { } analysis)
        {
            NewerAnalysedFirst = history.NewerAnalysedFirst(analysis)?.Upload.FileName;
        }
        return Page();
    }
}
