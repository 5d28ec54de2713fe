namespace ClvPortal.Core.Cleaning;

/// <summary>A transaction that passed cleaning. Returns and cancellations carry a negative amount when netted.</summary>
public readonly record struct Transaction(string CustomerId, DateTime Date, double Amount, string? InvoiceId, string? Country)
{
    /// <summary>The customer's email address on this row, if any.</summary>
    public string? Email { get; init; }

    /// <summary>The customer's name on this row, if any.</summary>
    public string? Name { get; init; }
}

/// <summary>What to do with returns (negative quantity or amount) and cancelled invoices.</summary>
public enum ReturnsHandling
{
    /// <summary>Subtract them from the customer's revenue (the default: revenue that came back was never earned).</summary>
    Net,
    /// <summary>Leave them out entirely.</summary>
    Drop,
}
