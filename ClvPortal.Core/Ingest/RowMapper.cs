using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ClvPortal.Core.Ingest;

/// <summary>
/// Turns the reader's current record into a <see cref="TransactionRow"/> through the detected columns.
/// This is the per-row hot path: spans in, interned strings and parsed numbers out, and the last date
/// text remembered because invoices put the same timestamp on consecutive lines.
/// </summary>
/// <param name="shortRowsAreFlaws">False for XLSX, where Excel simply leaves trailing empty cells out.</param>
/// <param name="store">A store export's status, refund and fallback customer columns; null for other files.</param>
internal sealed class RowMapper(ColumnIndexes columns, int expectedFields, bool decimalComma, DateLayout dates, bool date1904, bool shortRowsAreFlaws = true, StoreColumns? store = null)
{
    private readonly RowFingerprint _fingerprint = new();
    private readonly StringInterner _statuses = new();
    private string? _order;
    private readonly StringInterner _customers = new();
    private readonly StringInterner _invoices = new(remember: false);
    private readonly StringInterner _countries = new();
    private readonly StringInterner _products = new();
    private readonly StringInterner _contacts = new();
    private readonly char[] _lastDateText = new char[64];
    // The last date's bytes too, when it came as ASCII bytes: the cheaper comparison for the next row's.
    private readonly byte[] _lastDateBytes = new byte[64];
    private bool _lastDateAscii;
    private int _lastDateLength = -1;
    private DateTime? _lastDate;
    private bool _lastDateFailed;
    private int _productColumn = columns.Product;

    /// <summary>
    /// Whether a row's meaning depends on the record before it (a store export's further line items), so records
    /// must be mapped one after another by one mapper; otherwise mappers may take records in any order.
    /// </summary>
    public bool ReadsPreviousRecord => store?.Layout.OneRowPerLineItem == true;

    /// <summary>Leaves <see cref="TransactionRow.Product"/> null: the analysis never reads it, and it costs a lookup per row.</summary>
    public void LeaveOutProducts() => _productColumn = -1;

    /// <summary>Maps the current record straight into <paramref name="row"/> (a batch's slot): a row is too large to copy twice.</summary>
    public void Map(RecordReader record, out TransactionRow row)
    {
        // An ASCII record's bytes are its characters: the values are read from the bytes, nothing widened to UTF-16.
        if (record.IsAscii)
        {
            Map<byte>(record, out row);
        }
        else
        {
            Map<char>(record, out row);
        }
    }

    /// <summary>The body of <see cref="Map(RecordReader, out TransactionRow)"/>, compiled once for bytes and once for characters.</summary>
    private void Map<TChar>(RecordReader record, out TransactionRow row)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        var flaws = RowFlaws.None;
        var count = record.FieldCount;
        if (count > expectedFields)
        {
            flaws |= RowFlaws.TooManyFields;
        }
        else if (count < expectedFields && shortRowsAreFlaws)
        {
            flaws |= RowFlaws.TooFewFields;
        }

        var bytes = record.RecordBytes;
        var fingerprint = bytes.IsEmpty ? _fingerprint.OfFields(record) : RowFingerprint.Of(bytes);

        var customerText = Trimmed<TChar>(record, columns.CustomerId);
        string? customer = null;
        if (customerText.IsEmpty)
        {
            flaws |= RowFlaws.MissingCustomerId;
        }
        else if (customerText.Length > TransactionRow.MaxCustomerIdLength)
        {
            flaws |= RowFlaws.CustomerIdTooLong;
        }
        else
        {
            customer = _customers.Intern(customerText);
        }

        var date = ParseDate(Trimmed<TChar>(record, columns.Date), ref flaws);

        var quantity = ParseNumber<TChar>(record, columns.Quantity, out var quantityState);
        var unitPrice = ParseNumber<TChar>(record, columns.UnitPrice, out var priceState);
        double? amount;
        if (columns.Amount >= 0)
        {
            amount = ParseNumber<TChar>(record, columns.Amount, out var amountState);
            flaws |= amountState;
        }
        else
        {
            amount = quantity * unitPrice;
            flaws |= quantityState | priceState;
            if (Math.Abs(amount ?? 0) > TransactionRow.MaxAmount)
            {
                amount = null;
                flaws |= RowFlaws.ImplausibleAmount;
            }
        }

        row = new TransactionRow(
            record.Line,
            record.Sheet,
            customer,
            date,
            amount,
            quantity,
            unitPrice,
            Optional<TChar>(record, columns.InvoiceId, _invoices),
            Optional<TChar>(record, columns.Country, _countries),
            Optional<TChar>(record, _productColumn, _products),
            flaws,
            fingerprint)
        {
            Email = Optional<TChar>(record, columns.Email, _contacts),
            Name = Optional<TChar>(record, columns.Name, _contacts),
        };
        if (store is not null)
        {
            row = StoreRow(record, row, store);
        }
    }

    /// <summary>What a store export says beyond the values: line items, payment status, refunds, and who the customer is when the first column is empty.</summary>
    private TransactionRow StoreRow(RecordReader record, TransactionRow row, StoreColumns store)
    {
        var statusText = Trimmed<char>(record, store.Status);
        if (store.Layout.OneRowPerLineItem)
        {
            // Shopify repeats only the order's name on its further line items; total, status and email stay empty.
            if (statusText.IsEmpty && Trimmed<char>(record, columns.Amount).IsEmpty && row.InvoiceId is { } invoice && invoice == _order)
            {
                return row with { Kind = RowKind.LineItem, Flaws = row.Flaws & (RowFlaws.TooManyFields | RowFlaws.TooFewFields) };
            }

            _order = row.InvoiceId;
        }

        // Empty, not null, when the cell is: a store row always has a status, even an unknown one.
        var status = statusText.IsEmpty ? "" : _statuses.Intern(StoreLayout.NormalizeStatus(statusText).AsSpan());
        var refunded = ParseNumber<char>(record, store.Refunded, out var refundFlaw);
        row = row with
        {
            Kind = store.Layout.Classify(status),
            Status = status,
            Refunded = refunded is > 0 ? refunded : null,
            Flaws = row.Flaws | (refundFlaw & ~RowFlaws.MissingAmount),
        };

        if ((row.Flaws & RowFlaws.MissingCustomerId) == 0)
        {
            return row;
        }

        foreach (var (index, name) in store.CustomerFallbacks)
        {
            var text = Trimmed<char>(record, index);
            if (!text.IsEmpty && text.Length <= TransactionRow.MaxCustomerIdLength)
            {
                return row with { CustomerId = _customers.Intern(text), CustomerIdFrom = name, Flaws = row.Flaws & ~RowFlaws.MissingCustomerId };
            }
        }

        return row;
    }

    private DateTime? ParseDate<TChar>(ReadOnlySpan<TChar> text, ref RowFlaws flaws)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        if (text.IsEmpty)
        {
            flaws |= RowFlaws.MissingDate;
            return null;
        }

        if (typeof(TChar) == typeof(byte) && _lastDateAscii
            ? MemoryMarshal.Cast<TChar, byte>(text).SequenceEqual(_lastDateBytes.AsSpan(0, _lastDateLength))
            : text.Length == _lastDateLength && CodeUnits.Equals(text, _lastDateText.AsSpan(0, _lastDateLength)))
        {
            if (_lastDateFailed)
            {
                flaws |= RowFlaws.UnparseableDate;
            }

            return _lastDate;
        }

        var remembered = text.Length <= _lastDateText.Length;
        var chars = CodeUnits.AsChars(text, remembered ? _lastDateText : new char[text.Length]);
        var parsed = DateParser.TryParse(chars, dates.DayFirst, dates.Serial, date1904, out var value);
        if (remembered)
        {
            chars.CopyTo(_lastDateText);
            _lastDateAscii = typeof(TChar) == typeof(byte);
            if (_lastDateAscii)
            {
                MemoryMarshal.Cast<TChar, byte>(text).CopyTo(_lastDateBytes);
            }

            _lastDateLength = chars.Length;
            _lastDate = parsed ? value : null;
            _lastDateFailed = !parsed;
        }

        if (!parsed)
        {
            flaws |= RowFlaws.UnparseableDate;
            return null;
        }

        return value;
    }

    private double? ParseNumber<TChar>(RecordReader record, int column, out RowFlaws flaw)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        flaw = RowFlaws.None;
        if (column < 0)
        {
            return null;
        }

        var text = Trimmed<TChar>(record, column);
        if (text.IsEmpty)
        {
            flaw = RowFlaws.MissingAmount;
            return null;
        }

        if (!NumberParser.TryParse(text, decimalComma, out var value) || !double.IsFinite(value))
        {
            flaw = RowFlaws.UnparseableAmount;
            return null;
        }

        if (Math.Abs(value) > TransactionRow.MaxAmount)
        {
            flaw = RowFlaws.ImplausibleAmount;
            return null;
        }

        return value;
    }

    private static string? Optional<TChar>(RecordReader record, int column, StringInterner interner)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        if (column < 0)
        {
            return null;
        }

        var text = Trimmed<TChar>(record, column);
        return text.IsEmpty ? null : interner.Intern(text);
    }

    /// <summary>The field without surrounding white space; a field that starts and ends with visible ASCII, nearly every one, is returned as it is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<TChar> Trimmed<TChar>(RecordReader record, int column)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        var field = Field<TChar>(record, column);
        return field.IsEmpty || (CodeUnits.IsVisibleAscii(field[0]) && CodeUnits.IsVisibleAscii(field[^1])) ? field : CodeUnits.Trim(field);
    }

    /// <summary>Field <paramref name="column"/> as characters or, of an ASCII record, as its bytes; empty past the record's end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<TChar> Field<TChar>(RecordReader record, int column)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        if (column >= record.FieldCount)
        {
            return [];
        }

        return typeof(TChar) == typeof(byte)
            ? MemoryMarshal.Cast<byte, TChar>(record.AsciiField(column))
            : MemoryMarshal.Cast<char, TChar>(record.Field(column));
    }
}
