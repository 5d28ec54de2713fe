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
    ulong Fingerprint);
