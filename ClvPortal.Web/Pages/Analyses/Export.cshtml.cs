using ClvPortal.Web.Data;
using ClvPortal.Web.Results;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using MongoDB.Driver;

namespace ClvPortal.Web.Pages.Analyses;

/// <summary>
/// Downloads one analysis's per-customer results, most valuable first: every customer, or the view of the customer
/// table the link names (<c>q</c>, <c>tier</c>, <c>churn</c>, <c>list</c>, as <see cref="CustomerFilter"/> reads them).
/// CSV streamed straight from a MongoDB cursor, XLSX built with ClosedXML up to
/// <see cref="ResultsOptions.XlsxMaxCustomers"/> (beyond that the page explains why and offers the CSV).
/// </summary>
[Authorize]
// A download, not a page: a missing analysis answers a bare 404, never the HTML error page.
[SkipStatusCodePages]
public sealed class ExportModel(PortalDb db, IOptions<ResultsOptions> options) : PageModel
{
    public Guid UploadId { get; private set; }

    public int Customers { get; private set; }

    public int Limit => options.Value.XlsxMaxCustomers;

    public CustomerFilter Filter { get; private set; } = CustomerFilter.All;

    public async Task<IActionResult> OnGetAsync(
        Guid id, string format, string? q, string? tier, string? churn, string? list, CancellationToken cancellationToken)
    {
        var ownerId = Owner.Id(User);
        var customers = await ResultLookups.CustomerCountAsync(db, id, ownerId, cancellationToken);
        if (customers is null)
        {
            return NotFound();
        }

        Filter = CustomerFilter.Parse(q, tier, churn, list, out var problem);
        if (problem is not null)
        {
            // A download of "everyone" in place of the list asked for would be worse than none.
            return BadRequest(problem + " Open the customer table, choose the list there and export again.");
        }

        // A customer list must not stay in a browser's or a proxy's cache after the download (shared computers, proxies).
        Response.Headers.CacheControl = "no-store";
        UploadId = id;
        var filter = Filter.ToMongo(id, ownerId);
        var find = db.CustomerResults
            .Find(filter, new FindOptions { BatchSize = 2000 })
            .Sort(Builders<CustomerResultDocument>.Sort.Descending(c => c.HeadlineClv));

        var (_, currency) = await ResultLookups.FileNameAndCurrencyAsync(db, id, ownerId, cancellationToken);
        if (format == "csv")
        {
            Response.ContentType = "text/csv; charset=utf-8";
            Response.Headers.ContentDisposition = $"attachment; filename=\"{CustomerExport.FileName(id, "csv", Filter)}\"";
            await CustomerExport.WriteCsvAsync(Stream(find, cancellationToken), Response.Body, currency, cancellationToken);
            return new EmptyResult();
        }

        Customers = Filter.IsEmpty ? customers.Value : (int)await db.CustomerResults.CountDocumentsAsync(filter, cancellationToken: cancellationToken);
        if (Customers > Limit)
        {
            return Page();
        }

        // ClosedXML writes synchronously, which Kestrel forbids on the response: build in memory (bounded by the cap), then copy.
        var buffer = new MemoryStream();
        CustomerExport.WriteXlsx(await find.ToListAsync(cancellationToken), buffer, currency);
        buffer.Position = 0;
        return File(buffer, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", CustomerExport.FileName(id, "xlsx", Filter));
    }

    private static async IAsyncEnumerable<CustomerResultDocument> Stream(
        IFindFluent<CustomerResultDocument, CustomerResultDocument> find,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var cursor = await find.ToCursorAsync(cancellationToken);
        while (await cursor.MoveNextAsync(cancellationToken))
        {
            foreach (var customer in cursor.Current)
            {
                yield return customer;
            }
        }
    }
}
