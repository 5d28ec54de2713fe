using ClvPortal.Core.Ingest;

namespace ClvPortal.Core.Cleaning;

/// <summary>How to clean rows. Every default is what most shops want.</summary>
public sealed record CleaningOptions
{
    /// <summary>Default <see cref="ReturnsHandling.Net"/>: returns and cancellations reduce the customer's revenue.</summary>
    public ReturnsHandling Returns { get; init; } = ReturnsHandling.Net;

    /// <summary>Rows dated after this day are left out. Default null: keep every date (the end is then the last date in the data).</summary>
    public DateOnly? ObservationEnd { get; init; }

    /// <summary>
    /// Rows dated after this day are dropped and counted: no purchase happens in the future, so 2099 is a
    /// typing error for 2019. Default null: no check (Core has no clock); the portal passes the day after today.
    /// </summary>
    public DateOnly? LatestPossibleDate { get; init; }

    /// <summary>How many line numbers each rule keeps as examples. Default 5: enough to look a few up, short enough to read.</summary>
    public int MaxExamples { get; init; } = 5;

    /// <summary>
    /// About how many rows the file has (estimated from its size), so the duplicate check starts at its final size
    /// instead of growing as rows come. Default 0: unknown. Only speed depends on it, never the result.
    /// </summary>
    public long ExpectedRows { get; init; }
}

/// <summary>
/// Turns rows into <see cref="Transaction"/>s, one pass, counting every row it leaves out or changes.
/// Each row is judged by the first rule it breaks, in the order of <see cref="Report"/>, so
/// RowsRead == RowsKept + the rows of every "dropped" rule.
/// </summary>
public sealed class TransactionCleaner(CleaningOptions options)
{
    private const string Dropped = "dropped";

    private readonly RuleCounter _malformed = new("malformed-row", "Rows with more or fewer fields than the header: their values cannot be trusted to be in the right columns.", Dropped, options.MaxExamples);
    private readonly RuleCounter _missingCustomer = new("missing-customer-id", "Rows without a customer id (often guest checkouts): they cannot be linked to a customer.", Dropped, options.MaxExamples);
    private readonly RuleCounter _longCustomerId = new("customer-id-too-long", $"Rows whose customer id is longer than {TransactionRow.MaxCustomerIdLength} characters: text from another column, not an id.", Dropped, options.MaxExamples);
    private readonly RuleCounter _missingDate = new("missing-date", "Rows without a date.", Dropped, options.MaxExamples);
    private readonly RuleCounter _badDate = new("unparseable-date", "Rows whose date could not be read as a date.", Dropped, options.MaxExamples);
    private readonly RuleCounter _missingAmount = new("missing-amount", "Rows without an amount (or without quantity or price).", Dropped, options.MaxExamples);
    private readonly RuleCounter _badAmount = new("non-numeric-amount", "Rows whose amount, quantity or price is not a number.", Dropped, options.MaxExamples);
    private readonly RuleCounter _implausibleAmount = new("implausible-amount", $"Rows whose amount, quantity or price is beyond ±{TransactionRow.MaxAmount:0.#e0} (such as 1e308): an overflowed cell or the wrong column, not a purchase.", Dropped, options.MaxExamples);
    private readonly RuleCounter _duplicate = new("duplicate-row", "Exact copies of an earlier row (every field the same): counted once.", Dropped, options.MaxExamples);
    private readonly RuleCounter _identical = new("identical-rows", "Rows identical to an earlier row in a file without order numbers: kept, since nothing tells them apart from two purchases of the same thing on the same day.", "kept", options.MaxExamples);
    private readonly RuleCounter _futureDate = new("future-date", "Rows dated after the day of the analysis (typing errors such as 2099 for 2019): no purchase is made in the future.", Dropped, options.MaxExamples);
    private readonly RuleCounter _future = new("after-observation-end", "Rows dated after the end of the observation window.", Dropped, options.MaxExamples);
    private readonly RuleCounter _cancelled = new("cancelled-invoice", options.Returns == ReturnsHandling.Net
        ? "Rows of cancelled invoices (invoice number starting with \"C\"): subtracted from the customer's revenue."
        : "Rows of cancelled invoices (invoice number starting with \"C\"): left out.", options.Returns == ReturnsHandling.Net ? "netted" : Dropped, options.MaxExamples);
    private readonly RuleCounter _returns = new("returns", options.Returns == ReturnsHandling.Net
        ? "Returns (negative quantity or amount): subtracted from the customer's revenue."
        : "Returns (negative quantity or amount): left out.", options.Returns == ReturnsHandling.Net ? "netted" : Dropped, options.MaxExamples);
    private readonly RuleCounter _zeroPrice = new("zero-price", "Sales at a zero or negative unit price (samples, adjustments): not revenue.", Dropped, options.MaxExamples);

    // Store exports (Shopify, Stripe, WooCommerce): what their own columns say about each order.
    private readonly RuleCounter _lineItems = new(CleaningReport.LineItemsRule, "Further line items of an order (the export writes one row per item, the order's total on its first row): counted once, with their order.", "merged", options.MaxExamples);
    private readonly RuleCounter _noPayment = new("no-payment", "Orders and payments that brought no money", Dropped, options.MaxExamples);
    private readonly RuleCounter _pending = new("pending-payment", "Orders not yet paid when the file was exported", "kept", options.MaxExamples);
    private readonly RuleCounter _refunds = new("refunds", options.Returns == ReturnsHandling.Net
        ? "Orders with money refunded (the export's refunded amount): the refund is subtracted from the order's total."
        : "Orders with money refunded (the export's refunded amount): counted at their full total, since returns are set to be left out.", options.Returns == ReturnsHandling.Net ? "netted" : "kept", options.MaxExamples);
    private readonly RuleCounter _customerFallback = new("customer-from-other-column", "Orders whose customer column is empty", "kept", options.MaxExamples);
    private readonly Dictionary<string, long> _statusTally = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _fallbackTally = new(StringComparer.Ordinal);

    // The order the line items that follow belong to, and the rule that left it out (null when it was kept).
    private string? _order;
    private RuleCounter? _orderRule;
    private RuleCounter? _lastDrop;

    // One 64-bit fingerprint per distinct row, 11-21 bytes each (see FingerprintSet): about 200 MB
    // at 10M rows. The one structure here that grows with rows rather than customers; exact
    // duplicates need not be adjacent, so nothing smaller can find them all.
    private readonly FingerprintSet _fingerprints = new(options.ExpectedRows);
    private readonly int _lastDay = options.ObservationEnd?.DayNumber ?? int.MaxValue;
    private readonly int _latestPossibleDay = options.LatestPossibleDate?.DayNumber ?? int.MaxValue;
    private long _read;
    private long _kept;

    /// <summary>
    /// What cleaning did so far; complete once <see cref="Clean(IEnumerable{TransactionRow})"/> has been enumerated to the end. Line items merged
    /// into a kept order count as kept; those of an order left out count with the rule that left it out.
    /// </summary>
    public CleaningReport Report => new(_read, _kept,
    [
        _malformed.Result(), _lineItems.Result(), _noPayment.Result(Tallied(_noPayment.Description, _statusTally, "left out")),
        _missingCustomer.Result(), _longCustomerId.Result(), _missingDate.Result(), _badDate.Result(),
        _missingAmount.Result(), _badAmount.Result(), _implausibleAmount.Result(), _duplicate.Result(), _identical.Result(),
        _futureDate.Result(), _future.Result(), _cancelled.Result(), _returns.Result(), _zeroPrice.Result(),
        _pending.Result(Tallied(_pending.Description, _statusTally, "kept as purchases: the customer ordered, and most such orders are paid later")),
        _refunds.Result(),
        _customerFallback.Result(Tallied(_customerFallback.Description, _fallbackTally, "the customer is named by another column instead")),
    ]);

    /// <summary>"Orders that brought no money (voided 2, failed 1): left out."</summary>
    private static string Tallied(string description, Dictionary<string, long> tally, string outcome) =>
        tally.Count == 0 ? description + $": {outcome}." : description + $" ({string.Join(", ", tally.OrderByDescending(t => t.Value).Select(t => $"{t.Key} {t.Value:N0}"))}): {outcome}.";

    public IEnumerable<Transaction> Clean(IEnumerable<TransactionRow> rows)
    {
        foreach (var row in rows)
        {
            _read++;
            if (Judge(row) is { } transaction)
            {
                _kept++;
                yield return transaction;
            }
        }
    }

    /// <summary>
    /// <see cref="Clean(IEnumerable{TransactionRow})"/> for one batch of rows, in order: each transaction kept goes
    /// straight to <paramref name="kept"/> (the analysis' ledger), with no array in between; returns how many.
    /// </summary>
    internal int Clean(ReadOnlySpan<TransactionRow> rows, ITransactionSink kept)
    {
        const int PrefetchDistance = 8;
        for (var i = 0; i < rows.Length && i < PrefetchDistance; i++)
        {
            _fingerprints.Prefetch(rows[i].Fingerprint);
        }

        var count = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            if (i + PrefetchDistance < rows.Length)
            {
                _fingerprints.Prefetch(rows[i + PrefetchDistance].Fingerprint);
            }

            ref readonly var row = ref rows[i];
            _read++;
            if (Judge(row) is { } transaction)
            {
                _kept++;
                count++;
                kept.Add(transaction);
            }
        }

        return count;
    }

    private Transaction? Judge(in TransactionRow row)
    {
        if (row.Kind == RowKind.LineItem && (row.Flaws & (RowFlaws.TooManyFields | RowFlaws.TooFewFields)) == 0 && row.InvoiceId == _order)
        {
            if (_orderRule is { } orderRule)
            {
                return Drop(orderRule, row.Line);
            }

            _lineItems.Count(row.Line);
            _kept++;
            return null;
        }

        _lastDrop = null;
        var transaction = JudgeRow(row);
        (_order, _orderRule) = (row.InvoiceId, _lastDrop);
        return transaction;
    }

    private Transaction? Drop(RuleCounter rule, long line)
    {
        rule.Count(line);
        _lastDrop = rule;
        return null;
    }

    private Transaction? JudgeRow(in TransactionRow row)
    {
        var flaws = row.Flaws;
        if ((flaws & (RowFlaws.TooManyFields | RowFlaws.TooFewFields)) != 0)
        {
            return Drop(_malformed, row.Line);
        }

        if (row.Kind == RowKind.NoPayment)
        {
            Tally(_statusTally, row.Status is { Length: > 0 } status ? status : "no status");
            return Drop(_noPayment, row.Line);
        }

        if ((flaws & RowFlaws.CustomerIdTooLong) != 0)
        {
            return Drop(_longCustomerId, row.Line);
        }

        if (string.IsNullOrWhiteSpace(row.CustomerId))
        {
            return Drop(_missingCustomer, row.Line);
        }

        if (row.Date is not { } date)
        {
            return (flaws & RowFlaws.UnparseableDate) != 0 ? Drop(_badDate, row.Line) : Drop(_missingDate, row.Line);
        }

        if ((flaws & RowFlaws.UnparseableAmount) != 0 || row.Amount is { } bad && !double.IsFinite(bad))
        {
            return Drop(_badAmount, row.Line);
        }

        if ((flaws & RowFlaws.ImplausibleAmount) != 0)
        {
            return Drop(_implausibleAmount, row.Line);
        }

        if (row.Amount is not { } amount)
        {
            return Drop(_missingAmount, row.Line);
        }

        if (!_fingerprints.Add(row.Fingerprint))
        {
            // With an order number an identical row is a double export; without one (CDNOW) it may
            // be a second purchase, and dropping it would understate revenue.
            if (row.InvoiceId is not null)
            {
                return Drop(_duplicate, row.Line);
            }

            _identical.Count(row.Line);
        }

        var day = DateOnly.FromDateTime(date).DayNumber;
        if (day > _latestPossibleDay)
        {
            return Drop(_futureDate, row.Line);
        }

        if (day > _lastDay)
        {
            return Drop(_future, row.Line);
        }

        // A cancellation is a return even when its quantity is positive: the money came back.
        // Store exports say so in their status instead, and their ids may start with a "c" (Stripe's "ch_...").
        var cancelled = row.Status is null && row.InvoiceId is { Length: > 0 } invoice && (invoice[0] == 'C' || invoice[0] == 'c');
        var returned = row.Quantity < 0 || (row.Quantity is null && amount < 0);
        if (cancelled || returned)
        {
            var rule = cancelled ? _cancelled : _returns;
            if (options.Returns == ReturnsHandling.Drop)
            {
                return Drop(rule, row.Line);
            }

            rule.Count(row.Line);
            return new Transaction(row.CustomerId, date, -Math.Abs(amount), row.InvoiceId, row.Country) { Email = row.Email, Name = row.Name };
        }

        if (row.UnitPrice <= 0 || amount < 0)
        {
            return Drop(_zeroPrice, row.Line);
        }

        if (row.Kind == RowKind.Pending)
        {
            _pending.Count(row.Line);
            Tally(_statusTally, row.Status is { Length: > 0 } status ? status : "no status");
        }

        if (row.CustomerIdFrom is { } from)
        {
            _customerFallback.Count(row.Line);
            Tally(_fallbackTally, from);
        }

        if (row.Refunded is { } refunded)
        {
            _refunds.Count(row.Line);
            amount = options.Returns == ReturnsHandling.Net ? amount - refunded : amount;
        }

        return new Transaction(row.CustomerId, date, amount, row.InvoiceId, row.Country) { Email = row.Email, Name = row.Name };
    }

    private static void Tally(Dictionary<string, long> tally, string key) =>
        tally[key] = tally.GetValueOrDefault(key) + 1;

    private sealed class RuleCounter(string rule, string description, string action, int maxExamples)
    {
        private readonly List<long> _examples = [];
        private long _rows;

        public string Description => description;

        public void Count(long line)
        {
            _rows++;
            if (_examples.Count < maxExamples)
            {
                _examples.Add(line);
            }
        }

        /// <param name="describedAs">The description with what was counted (the statuses seen), when it depends on the data.</param>
        public CleaningRuleResult Result(string? describedAs = null) => new(rule, describedAs ?? description, action, _rows, [.. _examples]);
    }
}
