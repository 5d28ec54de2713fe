namespace ClvPortal.Core.Ingest;

/// <summary>What Ingest found out about a file: format, encoding, layout and the mapping it will read through.</summary>
/// <param name="Format">"csv", "xlsx" or "cdnow" (whitespace-separated id, yyyymmdd, quantity, value).</param>
/// <param name="Sheets">The worksheets read as one table, in order (XLSX), otherwise empty.</param>
/// <param name="Columns">The header names found, in file order.</param>
/// <param name="DateOrderReason">Why <paramref name="DateOrder"/> was chosen, in words for the report ("a first part above 12 on line 14").</param>
public sealed record FileDescription(
    string Format,
    string? Encoding,
    string? Delimiter,
    bool DecimalComma,
    IReadOnlyList<string> Sheets,
    IReadOnlyList<string> Columns,
    ColumnMapping Mapping,
    DateOrder DateOrder,
    string DateOrderReason)
{
    /// <summary>The store export layout recognised from the headers ("Shopify orders export"), or null for any other file.</summary>
    public string? Export { get; init; }

    /// <summary>The ISO 4217 code of the amounts ("GBP"), from the file or the user's setting; null when nothing says.</summary>
    public string? Currency { get; init; }

    /// <summary>Why <see cref="Currency"/> was chosen, in words for the report.</summary>
    public string? CurrencyReason { get; init; }
}
