namespace ClvPortal.Core.Ingest;

/// <summary>From the detected columns to the mapping and description, the same for CSV and XLSX.</summary>
public sealed partial class TransactionFile
{
    /// <summary>
    /// A store export's own columns fill whatever the user did not choose, unless the user checked the mapping column
    /// by column (<see cref="IngestOptions.DetectColumns"/> off): the check step showed the store's columns already
    /// chosen, so a field set to "not in the file" there stays unread. The layout's rules (status, refunds, line items,
    /// customer fallbacks) apply either way: they follow the headers, not the mapping.
    /// </summary>
    private static ColumnMapping WithStoreColumns(IngestOptions options, StoreLayout? store)
    {
        var overrides = options.Overrides;
        return store is null || !options.DetectColumns ? overrides : overrides with
        {
            CustomerId = overrides.CustomerId ?? store.Mapping.CustomerId,
            Date = overrides.Date ?? store.Mapping.Date,
            // A user who chose quantity and price instead of an amount gets them, not the store's total.
            Amount = overrides.Amount ?? (overrides.Quantity is null && overrides.UnitPrice is null ? store.Mapping.Amount : null),
            InvoiceId = overrides.InvoiceId ?? store.Mapping.InvoiceId,
        };
    }

    /// <summary>
    /// A store export's order total is the amount: a line item's quantity and price (Shopify's "Lineitem quantity") describe
    /// one item of the order, and a free gift listed first must not make the whole order a zero-price sale.
    /// </summary>
    private static (ColumnMapping Mapping, ColumnIndexes Indexes) WithoutItemColumns((ColumnMapping Mapping, ColumnIndexes Indexes) map, StoreLayout? store, ColumnMapping overrides) =>
        store is null || map.Indexes.Amount < 0 || overrides.Quantity is not null || overrides.UnitPrice is not null
            ? map
            : (map.Mapping with { Quantity = null, UnitPrice = null }, map.Indexes with { Quantity = -1, UnitPrice = -1 });

    /// <summary>The description with the store layout and the currency the sample shows.</summary>
    private static FileDescription Described(FileDescription description, StoreLayout? store, IReadOnlyList<SampleRecord> sample, ColumnIndexes indexes, IngestOptions options)
    {
        var currencyColumn = CurrencyDetector.FindColumn(description.Columns, store?.Currency);
        var (currency, reason) = CurrencyDetector.Detect(description.Columns, sample, currencyColumn, indexes.Amount, indexes.UnitPrice, options.Currency);
        return description with { Export = store?.Name, Currency = currency, CurrencyReason = reason };
    }

    /// <summary>The date layout of a preview whose date column is not chosen yet.</summary>
    private static readonly DateLayout NoDateColumn = new(false, false, DateOrder.Auto, "No date column is chosen yet.");
}
