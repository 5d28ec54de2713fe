namespace ClvPortal.Core.Ingest;

/// <summary>What a row of a store's export stands for, beyond its values. Plain transaction files are all <see cref="Purchase"/>.</summary>
public enum RowKind
{
    /// <summary>A paid order or charge (or a row of a file that says nothing about payment).</summary>
    Purchase,

    /// <summary>A further line item of the order above it (Shopify writes one row per item, the order's total on its first).</summary>
    LineItem,

    /// <summary>An order not yet paid when exported (Shopify "pending", "authorized"): kept, and counted in the report.</summary>
    Pending,

    /// <summary>An order or charge that brought no money (voided, failed, cancelled): left out, and counted in the report.</summary>
    NoPayment,
}

/// <summary>
/// A store platform's own export layout, recognised by its headers: which columns hold the order, customer, date
/// and total, and the columns a plain file does not have (payment status, refunds, currency, the columns naming a
/// customer when the first is empty), so Shopify, Stripe and WooCommerce exports are read right without settings.
/// </summary>
/// <param name="Name">How the report names the layout ("Shopify orders export").</param>
/// <param name="Mapping">The columns this layout reads; the user's own settings still win.</param>
/// <param name="CustomerFallbacks">Columns naming the customer, in order, when <see cref="ColumnMapping.CustomerId"/> is empty on a row.</param>
/// <param name="OneRowPerLineItem">Order-level fields (total, status, email) only on an order's first row; the others are its line items.</param>
/// <param name="Classify">The row's kind from its status text, lower case with spaces as underscores.</param>
internal sealed record StoreLayout(
    string Name,
    ColumnMapping Mapping,
    string? Status,
    string? Refunded,
    string? Currency,
    IReadOnlyList<string> CustomerFallbacks,
    bool OneRowPerLineItem,
    Func<string, RowKind> Classify)
{
    /// <summary>The layout whose tell-tale headers the file has, or null for any other file.</summary>
    public static StoreLayout? Detect(IReadOnlyList<string> columns)
    {
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            byName.TryAdd(ColumnDetector.Normalize(column), column);
        }

        string? Find(params string[] names) => names.Select(n => byName.GetValueOrDefault(n)).FirstOrDefault(c => c is not null);
        bool Has(params string[] names) => names.All(byName.ContainsKey);

        // Shopify's orders_export.csv: "Name" (#1001), "Financial Status", "Total", "Created at" and the "Lineitem ..." columns.
        if (Has("name", "financialstatus", "total", "createdat") && Find("lineitemname", "lineitemquantity") is not null)
        {
            return new StoreLayout(
                "Shopify orders export",
                new ColumnMapping { InvoiceId = byName["name"], CustomerId = Find("email"), Date = byName["createdat"], Amount = byName["total"] },
                byName["financialstatus"],
                Find("refundedamount"),
                Find("currency"),
                Fallbacks(Find("phone"), Find("billingphone"), Find("billingname")),
                OneRowPerLineItem: true,
                ClassifyShopify);
        }

        // Stripe's payments export: "id" (ch_/py_...), "Created date (UTC)" or "Created (UTC)", "Amount", "Amount Refunded", "Status".
        if (Has("id", "amount", "amountrefunded", "status") && Find("createddateutc", "createdutc") is { } created &&
            Find("customerid", "customeremail") is { } customer)
        {
            return new StoreLayout(
                "Stripe payments export",
                new ColumnMapping { InvoiceId = byName["id"], CustomerId = customer, Date = created, Amount = byName["amount"] },
                byName["status"],
                byName["amountrefunded"],
                Find("currency"),
                Fallbacks(customer == Find("customeremail") ? null : Find("customeremail")),
                OneRowPerLineItem: false,
                ClassifyStripe);
        }

        // WooCommerce order exports: "order_date", "status", "order_total", "billing_email" and their neighbours.
        if (Has("orderdate", "ordertotal") && Find("status", "orderstatus") is { } status && Find("billingemail", "customeremail") is { } email)
        {
            return new StoreLayout(
                "WooCommerce orders export",
                new ColumnMapping { InvoiceId = Find("orderid", "ordernumber", "id"), CustomerId = email, Date = byName["orderdate"], Amount = byName["ordertotal"] },
                status,
                Find("refundedtotal", "orderrefund", "refundtotal", "totalrefunded", "refundamount", "refunded"),
                Find("ordercurrency", "currency"),
                Fallbacks(email == Find("customeremail") ? null : Find("customeremail"), Find("billingphone")),
                OneRowPerLineItem: false,
                ClassifyWooCommerce);
        }

        return null;
    }

    private static string[] Fallbacks(params string?[] columns) => [.. columns.OfType<string>()];

    // Shopify's financial statuses. Refunds are netted through "Refunded Amount", so refunded orders stay purchases.
    private static RowKind ClassifyShopify(string status) => status switch
    {
        "voided" or "expired" => RowKind.NoPayment,
        "pending" or "authorized" => RowKind.Pending,
        _ => RowKind.Purchase,
    };

    // Stripe: only money actually taken; a refunded charge was paid, and its refund is netted through "Amount Refunded".
    private static RowKind ClassifyStripe(string status) => status switch
    {
        "paid" or "succeeded" or "refunded" or "partially_refunded" or "" => RowKind.Purchase,
        _ => RowKind.NoPayment,
    };

    // WooCommerce: "processing" is paid and awaiting shipment; pending, on-hold, cancelled, failed, refunded and drafts brought no money.
    private static RowKind ClassifyWooCommerce(string status) => (status.StartsWith("wc-", StringComparison.Ordinal) ? status[3..] : status) switch
    {
        "completed" or "processing" or "" => RowKind.Purchase,
        _ => RowKind.NoPayment,
    };

    /// <summary>A status as the classifiers read it: "Partially Refunded" and "partially_refunded" alike.</summary>
    public static string NormalizeStatus(ReadOnlySpan<char> status) => status.Trim().ToString().ToLowerInvariant().Replace(' ', '_');
}

/// <summary>A <see cref="StoreLayout"/>'s own columns by position, for the row mapper; -1 where the file lacks one.</summary>
internal sealed record StoreColumns(StoreLayout Layout, int Status, int Refunded, IReadOnlyList<(int Index, string Name)> CustomerFallbacks)
{
    public static StoreColumns Resolve(StoreLayout layout, IReadOnlyList<string> columns)
    {
        int IndexOf(string? name) => name is null ? -1 : columns.ToList().IndexOf(name);
        return new StoreColumns(
            layout,
            IndexOf(layout.Status),
            IndexOf(layout.Refunded),
            [.. layout.CustomerFallbacks.Select(name => (IndexOf(name), name)).Where(f => f.Item1 >= 0)]);
    }
}
