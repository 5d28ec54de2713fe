using System.ComponentModel.DataAnnotations;

namespace ClvPortal.Web.Results;

/// <summary>The <c>Results</c> configuration section: how results pages, exports and share links behave.</summary>
public sealed class ResultsOptions
{
    public const string Section = "Results";

    /// <summary>Symbol shown before money amounts; default "$" (the files carry no currency, so it is a display choice).</summary>
    [Required]
    public string CurrencySymbol { get; set; } = "$";

    /// <summary>Rows per page of the customer table; default 50.</summary>
    [Range(10, 500)]
    public int PageSize { get; set; } = 50;

    /// <summary>
    /// Largest analysis exported as XLSX; default 50,000 customers. ClosedXML builds the whole workbook in
    /// memory (about 900 MB and 8 s for 100k rows measured), which would starve the web process; the CSV
    /// export streams and has no limit, and Excel opens it.
    /// </summary>
    [Range(1, 1_000_000)]
    public int XlsxMaxCustomers { get; set; } = 50_000;

    /// <summary>Expiry choices offered when sharing, in days; default 7, 30 and 90.</summary>
    public List<int> ShareExpiryDays { get; set; } = [7, 30, 90];
}
