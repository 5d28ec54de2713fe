namespace ClvPortal.Core.Ingest;

/// <summary>
/// Which of the file's columns (by header name) hold each field. Either <see cref="Amount"/> or both
/// <see cref="Quantity"/> and <see cref="UnitPrice"/> are set. Detected from headers and content, or
/// given by the user; the same record serves both.
/// </summary>
public sealed record ColumnMapping
{
    public string? CustomerId { get; init; }
    public string? Date { get; init; }
    public string? Amount { get; init; }
    public string? Quantity { get; init; }
    public string? UnitPrice { get; init; }
    public string? InvoiceId { get; init; }
    public string? Country { get; init; }
    public string? Product { get; init; }

    /// <summary>The customer's email address, when the file has one (it may be the customer id column itself).</summary>
    public string? Email { get; init; }

    /// <summary>The customer's name, when the file has one.</summary>
    public string? Name { get; init; }
}

/// <summary>How to read dates like 03/04/2025.</summary>
public enum DateOrder
{
    /// <summary>Decide from the data: a first part above 12 means day first, a second part above 12 means month first.</summary>
    Auto,
    DayFirst,
    MonthFirst,
}

/// <summary>How to read a transaction file. Every default is what most files need.</summary>
public sealed record IngestOptions
{
    /// <summary>Columns the user named; anything left null is detected. Default: detect everything.</summary>
    public ColumnMapping Overrides { get; init; } = new();

    /// <summary>The worksheet to read (XLSX). Default null: the first data sheet plus the sheets that share its header.</summary>
    public string? Sheet { get; init; }

    /// <summary>Default <see cref="DateOrder.Auto"/>; an ambiguous file asks the user to choose.</summary>
    public DateOrder DateOrder { get; init; } = DateOrder.Auto;

    /// <summary>The ISO 4217 code of the amounts ("GBP"). Default null: detected from a currency column or the amounts' symbols.</summary>
    public string? Currency { get; init; }

    /// <summary>
    /// Upper bound on the uncompressed size of an XLSX part. Default 4 GiB: a 1M-row sheet is ~200 MB
    /// uncompressed, so this admits real workbooks and stops zip bombs.
    /// </summary>
    public long MaxUncompressedBytes { get; init; } = 4L << 30;

    /// <summary>
    /// Whether fields the <see cref="Overrides"/> leave null are detected. Default true. False once the user has
    /// checked the mapping column by column: a field they set to "none" must stay unread, not be detected again.
    /// </summary>
    public bool DetectColumns { get; init; } = true;

    /// <summary>
    /// How many threads map the records of delimited text to rows. Default 0: one per core. A worker running several
    /// analyses at once gives each its share of the cores; 1 maps on one thread, ahead of the analysis. Workbooks and
    /// Shopify exports are always mapped on one thread.
    /// </summary>
    public int ReadThreads { get; init; }

    /// <summary>
    /// For the preview: open a file whose customer id, date or amount column was not found, with those fields
    /// unmapped, so the user can be shown the columns and choose. Such a file must not be read row by row.
    /// </summary>
    internal bool AllowIncompleteMapping { get; init; }
}
