using ClvPortal.Core.Cleaning;

namespace ClvPortal.Core.Features;

/// <summary>
/// Every customer's purchase history, reduced to one entry per customer-day as transactions stream
/// in: memory grows with customers and the days they bought on, not with rows. Features at any
/// cutoff (a calibration split, a backtest) are computed from it without reading the file again.
/// </summary>
public sealed class CustomerLedger : ITransactionSink
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<CustomerAccount> _accounts = [];
    // Distinct purchase invoices, to count orders: grows with orders, not rows (an order has many lines).
    private readonly FingerprintSet _invoices = new();
    // Rows of one invoice come together: remembering the last customer and invoice skips most lookups.
    private string? _lastCustomer;
    private int _lastSlot;
    private string? _lastInvoice;
    private int _firstDay = int.MaxValue;
    private int _lastDay = int.MinValue;

    public int Customers => _accounts.Count;

    /// <summary>Whether any transaction added brought money (an amount above zero), not only returns and zeros.</summary>
    public bool HasRevenue { get; private set; }

    /// <summary>Whether the transactions carried invoice ids; without them an order is a customer-day.</summary>
    public bool HasInvoices { get; private set; }

    public long CustomerDays
    {
        get
        {
            long days = 0;
            foreach (var account in _accounts)
            {
                account.Compact();
                days += account.Count;
            }

            return days;
        }
    }

    /// <summary>The first and last day of any transaction, or null when the ledger is empty.</summary>
    public DateOnly? FirstDate => _accounts.Count == 0 ? null : DateOnly.FromDayNumber(_firstDay);

    public DateOnly? LastDate => _accounts.Count == 0 ? null : DateOnly.FromDayNumber(_lastDay);

    public void Add(in Transaction transaction)
    {
        int slot;
        if (string.Equals(transaction.CustomerId, _lastCustomer, StringComparison.Ordinal))
        {
            slot = _lastSlot;
        }
        else if (!_index.TryGetValue(transaction.CustomerId, out slot))
        {
            // The dictionary keeps the first string it saw: one copy of each id, however many rows.
            slot = _accounts.Count;
            _index.Add(transaction.CustomerId, slot);
            _accounts.Add(new CustomerAccount(transaction.CustomerId, transaction.Country));
        }

        _lastCustomer = transaction.CustomerId;
        _lastSlot = slot;

        var day = DateOnly.FromDateTime(transaction.Date).DayNumber;
        _firstDay = Math.Min(_firstDay, day);
        _lastDay = Math.Max(_lastDay, day);

        HasRevenue |= transaction.Amount > 0;
        var purchase = transaction.Amount >= 0;
        var newOrder = false;
        if (transaction.InvoiceId is { Length: > 0 } invoice)
        {
            HasInvoices = true;
            newOrder = purchase && !string.Equals(invoice, _lastInvoice, StringComparison.Ordinal) && _invoices.Add(FingerprintSet.Hash(invoice));
            _lastInvoice = purchase ? invoice : null;
        }

        var account = _accounts[slot];
        account.Country ??= transaction.Country;
        if (transaction.Email is not null || transaction.Name is not null || transaction.Country is not null)
        {
            account.UpdateContact(day, transaction.Email, transaction.Name, transaction.Country);
        }

        account.Add(day, transaction.Amount, purchase, newOrder);
    }

    /// <summary>The accounts with their days sorted and merged, for the calculators.</summary>
    internal IReadOnlyList<CustomerAccount> Accounts
    {
        get
        {
            foreach (var account in _accounts)
            {
                account.Compact();
            }

            return _accounts;
        }
    }
}

/// <summary>One day of one customer: net revenue, whether anything was bought, and the new orders that day.</summary>
internal struct CustomerDay
{
    public int Day;
    public int Orders;
    public double Revenue;
    public bool Purchase;
}

/// <summary>One customer's days, appended in file order and merged by day; sorted when the file was not.</summary>
internal sealed class CustomerAccount(string id, string? country)
{
    private CustomerDay[] _days = new CustomerDay[2];
    private bool _sorted = true;

    public string Id => id;

    /// <summary>The first country given for the customer; revenue by country uses it.</summary>
    public string? Country { get; set; } = country;

    public int Count { get; private set; }

    public ReadOnlySpan<CustomerDay> Days => _days.AsSpan(0, Count);

    /// <summary>The most recent non-empty email, name and country (null until a row gives one).</summary>
    public CustomerContact? Contact =>
        _email is null && _name is null && _latestCountry is null ? null : new CustomerContact(_email, _name, _latestCountry);

    // Each contact field with the day it was taken from: a file need not be in date order. Plain fields, not a
    // record per row: files such as Online Retail repeat the country on every line.
    private string? _email;
    private string? _name;
    private string? _latestCountry;
    private int _emailDay = int.MinValue;
    private int _nameDay = int.MinValue;
    private int _countryDay = int.MinValue;

    /// <summary>Keeps each field's most recent non-empty value: a customer who moved or changed address is reached at the new one.</summary>
    public void UpdateContact(int day, string? email, string? name, string? country)
    {
        if (email is not null && day >= _emailDay)
        {
            _email = email;
            _emailDay = day;
        }

        if (name is not null && day >= _nameDay)
        {
            _name = name;
            _nameDay = day;
        }

        if (country is not null && day >= _countryDay)
        {
            _latestCountry = country;
            _countryDay = day;
        }
    }

    public void Add(int day, double amount, bool purchase, bool newOrder)
    {
        if (Count > 0 && _days[Count - 1].Day == day)
        {
            Merge(ref _days[Count - 1], amount, purchase, newOrder);
            return;
        }

        if (Count == _days.Length)
        {
            // An unsorted file appends the same day more than once: merge before growing, so the
            // array stays within twice the customer's distinct days.
            Compact();
            if (Count == _days.Length)
            {
                Array.Resize(ref _days, _days.Length * 2);
            }
        }

        // Judged against the last entry after any compaction: Compact marks the days sorted, and
        // an earlier day appended behind them must clear that again.
        _sorted &= Count == 0 || day > _days[Count - 1].Day;
        ref var entry = ref _days[Count++];
        entry = new CustomerDay { Day = day };
        Merge(ref entry, amount, purchase, newOrder);
    }

    public void Compact()
    {
        if (_sorted)
        {
            return;
        }

        Array.Sort(_days, 0, Count, DayComparer.Instance);
        var write = 0;
        for (var read = 1; read < Count; read++)
        {
            ref var current = ref _days[write];
            var next = _days[read];
            if (next.Day == current.Day)
            {
                current.Revenue += next.Revenue;
                current.Orders += next.Orders;
                current.Purchase |= next.Purchase;
            }
            else
            {
                _days[++write] = next;
            }
        }

        Count = Count == 0 ? 0 : write + 1;
        _sorted = true;
    }

    private static void Merge(ref CustomerDay entry, double amount, bool purchase, bool newOrder)
    {
        entry.Revenue += amount;
        entry.Purchase |= purchase;
        if (newOrder)
        {
            entry.Orders++;
        }
    }

    private sealed class DayComparer : IComparer<CustomerDay>
    {
        public static readonly DayComparer Instance = new();

        public int Compare(CustomerDay x, CustomerDay y) => x.Day.CompareTo(y.Day);
    }
}
