using ClvPortal.Core.Models;
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
        var ownerId = Owner.Id(User);
        var result = await db.AnalysisResults.Find(Owned.Result(ownerId, id)).FirstOrDefaultAsync(cancellationToken);
        // (uploadId, customerId) is the unique index.
        var customer = result is null
            ? null
            : await db.CustomerResults.Find(Owned.Customers(ownerId, id, c => c.CustomerId == customerId)).FirstOrDefaultAsync(cancellationToken);
        if (result is null || customer is null)
        {
            return NotFound();
        }

        Result = result;
        Customer = customer;
        return Page();
    }

    /// <summary>
    /// The last day of the data: the real observation end the analysis stored (the last transaction kept). Analyses
    /// stored before it was kept fall back to the last day of the last month with data, never before this customer's
    /// last purchase.
    /// </summary>
    public DateTime DataEnd
    {
        get
        {
            if (Result.ObservationEnd is { } end)
            {
                return end;
            }

            if (Result.Aggregates.Monthly.Count == 0)
            {
                return Customer.LastPurchase;
            }

            var last = Result.Aggregates.Monthly[^1];
            var monthEnd = new DateTime(last.Year, last.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1).AddDays(-1);
            return monthEnd < Customer.LastPurchase ? Customer.LastPurchase : monthEnd;
        }
    }

    /// <summary>Whole days from the last purchase to the end of the data.</summary>
    public int DaysSinceLastPurchase => Math.Max(0, (int)Math.Round((DataEnd - Customer.LastPurchase).TotalDays));

    /// <summary>The observation window in days: first purchase to the end of the data (T in days).</summary>
    public double WindowDays => Math.Max(1, (DataEnd - Customer.FirstPurchase).TotalDays);

    /// <summary>Where the last purchase sits on the timeline bar, 0..100.</summary>
    public double LastPurchasePercent => Math.Clamp(100 * (Customer.LastPurchase - Customer.FirstPurchase).TotalDays / WindowDays, 0, 100);

    /// <summary>The horizon in whole months, as the page names it.</summary>
    public long HorizonMonths => (long)Math.Round(Result.HorizonDays / ProbabilisticClv.DaysPerMonth);
}
