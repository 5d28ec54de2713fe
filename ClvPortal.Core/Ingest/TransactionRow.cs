namespace ClvPortal.Core.Ingest;

/// <summary>What a row could not supply. Cleaning counts each flaw; Ingest never drops a row itself.</summary>
[Flags]
public enum RowFlaws
{
    None = 0,
    MissingCustomerId = 1 << 0,
    MissingDate = 1 << 1,
    UnparseableDate = 1 << 2,
    MissingAmount = 1 << 3,
    UnparseableAmount = 1 << 4,
    TooManyFields = 1 << 5,
    TooFewFields = 1 << 6,

    /// <summary>An amount, quantity or price beyond ±<see cref="TransactionRow.MaxAmount"/>: an overflowed cell or a misread column, not a purchase.</summary>
    ImplausibleAmount = 1 << 7,

    /// <summary>A customer id longer than <see cref="TransactionRow.MaxCustomerIdLength"/> characters: text from another column, not an id.</summary>
    CustomerIdTooLong = 1 << 8,
}

/// <summary>
/// One data row of the user's file, read through the detected <see cref="ColumnMapping"/>.
/// Values that were missing or could not be parsed are null and named in <see cref="Flaws"/>.
/// </summary>
/// <param name="Line">1-based line (CSV) or row (XLSX) number in the file, for the cleaning report's examples.</param>
/// <param name="Sheet">The worksheet the row came from (XLSX), otherwise null.</param>
/// <param name="Amount">The row's value: the amount column, or quantity x unit price when the file has those instead.</param>
/// <param name="Fingerprint">A 64-bit hash of the row's raw fields, so exact duplicate rows can be found without keeping rows.</param>
public readonly record struct TransactionRow(
    long Line,
    string? Sheet,
    string? CustomerId,
    DateTime? Date,
    double? Amount,
    double? Quantity,
    double? UnitPrice,
    string? InvoiceId,
    string? Country,
    string? Product,
    RowFlaws Flaws,
    ulong Fingerprint)
{
    /// <summary>
    /// 10^15: above any real order in any currency, and the largest magnitude at which a double still
    /// holds cents exactly; 1e308 in a cell would otherwise make every total infinite.
    /// </summary>
    public const double MaxAmount = 1e15;

    /// <summary>Longer than any email address (254) or system id; a customer page's link must stay a valid URL.</summary>
    public const int MaxCustomerIdLength = 256;

    /// <summary>What the row stands for in a store export (a line item, an unpaid order); <see cref="RowKind.Purchase"/> in plain files.</summary>
    public RowKind Kind { get; init; }

    /// <summary>The store's payment status as written ("voided", "failed"), lower case, empty when the cell is; null in plain files.</summary>
    public string? Status { get; init; }

    /// <summary>Money refunded on this order or charge (Shopify "Refunded Amount", Stripe "Amount Refunded"); cleaning nets it.</summary>
    public double? Refunded { get; init; }

    /// <summary>The column the customer id was taken from when the customer column was empty on this row ("Phone"); otherwise null.</summary>
    public string? CustomerIdFrom { get; init; }

    /// <summary>The customer's email address on this row, when the file has such a column and the cell is not empty.</summary>
    public string? Email { get; init; }

    /// <summary>The customer's name on this row, when the file has such a column and the cell is not empty.</summary>
    public string? Name { get; init; }
}
