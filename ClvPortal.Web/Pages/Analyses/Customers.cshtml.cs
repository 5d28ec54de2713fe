using ClvPortal.Web.Data;
using ClvPortal.Web.Results;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace ClvPortal.Web.Pages.Analyses;

/// <summary>
/// One analysis's customers: paged, sorted, searched and filtered (tier, churn level, VIPs, win-back list) on the
/// server, with optional columns; the export buttons download exactly the customers the view holds.
/// </summary>
[Authorize]
public sealed class CustomersModel(PortalDb db, IOptions<ResultsOptions> options) : PageModel
{
    /// <summary>The columns a user can add to the table (<c>col</c> in the URL), in display order.</summary>
    public static readonly IReadOnlyList<(string Key, string Title)> OptionalColumns =
    [
        ("email", "Email"), ("name", "Name"), ("country", "Country"), ("total", "Total value"), ("churn", "Churn risk"),
        ("predicted-orders", "Orders expected"), ("next-order", "Next order expected"), ("gap", "Average days between orders"),
        ("aov", "Average order"), ("first-order", "Customer since"),
    ];

    [BindProperty(SupportsGet = true)]
    public CustomerSort Sort { get; set; } = CustomerSort.Clv;

    /// <summary>"asc" or "desc" (the default: the most valuable customers first).</summary>
    [BindProperty(SupportsGet = true)]
    public string Dir { get; set; } = "desc";

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true, Name = "tier")]
    public string? TierValue { get; set; }

    [BindProperty(SupportsGet = true, Name = "churn")]
    public string? ChurnValue { get; set; }

    [BindProperty(SupportsGet = true, Name = "list")]
    public string? ListValue { get; set; }

    /// <summary>The optional columns asked for; null when the URL names none (then email shows when the file had one).</summary>
    [BindProperty(SupportsGet = true, Name = "col")]
    public string[]? Columns { get; set; }

    // "p", not "page": Razor Pages reserves the "page" route value for the page name.
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public Guid UploadId { get; private set; }

    public string FileName { get; private set; } = "";

    public CustomerTableInfo Info { get; private set; } = null!;

    public CustomerFilter Filter { get; private set; } = CustomerFilter.All;

    /// <summary>Why part of the link's filter was left out (an unknown tier, level or list), or null.</summary>
    public string? FilterProblem { get; private set; }

    /// <summary>The ISO 4217 code of the file's amounts, null when it named none.</summary>
    public string? Currency { get; private set; }

    public CustomerTablePage Table { get; private set; } = null!;

    public bool Descending => !string.Equals(Dir, "asc", StringComparison.OrdinalIgnoreCase);

    /// <summary>The optional columns shown, in display order.</summary>
    public IReadOnlyList<(string Key, string Title)> Shown { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var ownerId = Owner.Id(User);
        var info = await ResultLookups.TableInfoAsync(db, id, ownerId, cancellationToken);
        if (info is null)
        {
            return NotFound();
        }

        UploadId = id;
        Info = info;
        Filter = CustomerFilter.Parse(Search, TierValue, ChurnValue, ListValue, out var problem);
        FilterProblem = problem;
        var asked = Columns ?? (info.HasEmail ? ["email"] : []);
        Shown = [.. OptionalColumns.Where(c => asked.Contains(c.Key, StringComparer.OrdinalIgnoreCase))];
        (FileName, Currency) = await ResultLookups.FileNameAndCurrencyAsync(db, id, ownerId, cancellationToken);
        var request = new CustomerTableRequest(Sort, Descending, Filter, PageNumber);
        Table = await CustomerTable.QueryAsync(db, id, ownerId, info.Customers, request, options.Value.PageSize, cancellationToken);
        return Page();
    }

    /// <summary>Route values for a link that keeps the current filter and columns and changes the rest.</summary>
    public Dictionary<string, string> Route(CustomerSort? sort = null, bool? descending = null, int? page = null, CustomerFilter? filter = null)
    {
        var route = (filter ?? Filter).RouteValues();
        route["id"] = UploadId.ToString();
        route["sort"] = (sort ?? Sort).ToString();
        route["dir"] = (descending ?? Descending) ? "desc" : "asc";
        route["p"] = (page ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return route;
    }

    /// <summary>
    /// A URL keeping the chosen columns too: route dictionaries hold one value per key, so the repeated <c>col</c>
    /// values are appended as a query string.
    /// </summary>
    public string Link(Dictionary<string, string> route)
    {
        var url = Url.Page("/Analyses/Customers", route) ?? "";
        if (Columns is null)
        {
            return url;
        }

        var cols = string.Join('&', Shown.Select(c => "col=" + Uri.EscapeDataString(c.Key)).DefaultIfEmpty("col="));
        return url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + cols;
    }
}
