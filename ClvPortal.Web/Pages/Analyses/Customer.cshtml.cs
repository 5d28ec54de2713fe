using ClvPortal.Web.Data;
using ClvPortal.Web.Results;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MongoDB.Driver;

namespace ClvPortal.Web.Pages.Analyses;

/// <summary>One customer of one analysis: purchase timeline, RFM features and every model's prediction.</summary>
[Authorize]
public sealed class CustomerModel(PortalDb db) : PageModel
{
    public CustomerResultDocument Customer { get; private set; } = null!;

    public AnalysisResultDocument Result { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, string customerId, CancellationToken cancellationToken)
    {
        customerId = CustomerIdSegment.Decode(customerId);
        var ownerId = User.OwnerId();
        var result = await db.AnalysisResults.Find(r => r.Id == id && r.OwnerId == ownerId).FirstOrDefaultAsync(cancellationToken);
        // (uploadId, customerId) is the unique index.
        var customer = result is null
            ? null
            : await db.CustomerResults.Find(c => c.UploadId == id && c.CustomerId == customerId && c.OwnerId == ownerId).FirstOrDefaultAsync(cancellationToken);
        if (result is null || customer is null)
        {
            return NotFound();
        }

        Result = result;
        Customer = customer;
        return Page();
    }

    /// <summary>The observation window in days: first purchase to the end of the data (T in days).</summary>
    public double WindowDays => Math.Max(1, (Result.Aggregates.Monthly.Count == 0 ? Customer.LastPurchase : LastDataDay).Subtract(Customer.FirstPurchase).TotalDays);

    /// <summary>The end of the observation window: the last month with data (the precise end date is not stored).</summary>
    private DateTime LastDataDay
    {
        get
        {
            var last = Result.Aggregates.Monthly[^1];
            var end = new DateTime(last.Year, last.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1).AddDays(-1);
            return end < Customer.LastPurchase ? Customer.LastPurchase : end;
        }
    }

    /// <summary>Where the last purchase sits on the timeline bar, 0..100.</summary>
    public double LastPurchasePercent => Math.Clamp(100 * (Customer.LastPurchase - Customer.FirstPurchase).TotalDays / WindowDays, 0, 100);

    public DateTime WindowEnd => Customer.FirstPurchase.AddDays(WindowDays);
}
