using ClvPortal.Web.Data;
using ClvPortal.Web.Results;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace ClvPortal.Web.Pages.Analyses;

/// <summary>One analysis's customers: paged, sorted and searched on the server, each through an index.</summary>
[Authorize]
public sealed class CustomersModel(PortalDb db, IOptions<ResultsOptions> options) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public CustomerSort Sort { get; set; } = CustomerSort.Clv;

    /// <summary>"asc" or "desc" (the default: the most valuable customers first).</summary>
    [BindProperty(SupportsGet = true)]
    public string Dir { get; set; } = "desc";

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Search { get; set; }

    // "p", not "page": Razor Pages reserves the "page" route value for the page name.
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public Guid UploadId { get; private set; }

    public string FileName { get; private set; } = "";

    public int Customers { get; private set; }

    /// <summary>The ISO 4217 code of the file's amounts, null when it named none.</summary>
    public string? Currency { get; private set; }

    public CustomerTablePage Table { get; private set; } = null!;

    public bool Descending => !string.Equals(Dir, "asc", StringComparison.OrdinalIgnoreCase);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var ownerId = User.OwnerId();
        var customers = await ResultLookups.CustomerCountAsync(db, id, ownerId, cancellationToken);
        if (customers is null)
        {
            return NotFound();
        }

        UploadId = id;
        Customers = customers.Value;
        (FileName, Currency) = await ResultLookups.FileNameAndCurrencyAsync(db, id, ownerId, cancellationToken);
        var request = new CustomerTableRequest(Sort, Descending, Search, PageNumber);
        Table = await CustomerTable.QueryAsync(db, id, ownerId, Customers, request, options.Value.PageSize, cancellationToken);
        return Page();
    }

    /// <summary>Route values for a link that keeps the current search and changes the rest.</summary>
    public Dictionary<string, string> Route(CustomerSort? sort = null, bool? descending = null, int? page = null)
    {
        var route = new Dictionary<string, string>
        {
            ["id"] = UploadId.ToString(),
            ["sort"] = (sort ?? Sort).ToString(),
            ["dir"] = (descending ?? Descending) ? "desc" : "asc",
            ["p"] = (page ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (!string.IsNullOrWhiteSpace(Search))
        {
            route["q"] = Search;
        }

        return route;
    }
}
