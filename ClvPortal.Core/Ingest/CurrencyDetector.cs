namespace ClvPortal.Core.Ingest;

/// <summary>
/// The currency a file's amounts are in, from what the file itself says: a currency column of ISO codes (Shopify's and
/// Stripe's "Currency", WooCommerce's "order_currency"), else the symbol written in the amounts ("£12.50", "€8", "$5").
/// Amounts are never converted: a file mixing currencies is read as it is, and the reason says so.
/// </summary>
internal static class CurrencyDetector
{
    private static readonly string[] ColumnNames = ["currency", "currencycode", "ordercurrency", "presentmentcurrency", "transactioncurrency"];

    /// <summary>The currency column by its header, or -1.</summary>
    public static int FindColumn(IReadOnlyList<string> columns, string? storeColumn)
    {
        var normalized = columns.Select(ColumnDetector.Normalize).ToList();
        if (storeColumn is not null)
        {
            return normalized.IndexOf(ColumnDetector.Normalize(storeColumn));
        }

        return ColumnNames.Select(n => normalized.IndexOf(n)).FirstOrDefault(i => i >= 0, -1);
    }

    /// <summary>An ISO 4217 code ("GBP") and why it was chosen; the code is null when the file says nothing.</summary>
    /// <param name="requested">The user's setting, which wins; null to detect.</param>
    public static (string? Code, string Reason) Detect(
        IReadOnlyList<string> columns, IReadOnlyList<SampleRecord> sample, int currencyColumn, int amountColumn, int priceColumn, string? requested)
    {
        if (Normalize(requested) is { } chosen)
        {
            return (chosen, $"Amounts are in {chosen} because the currency setting says so.");
        }

        if (currencyColumn >= 0)
        {
            var codes = Tally(sample, currencyColumn, Normalize);
            if (codes.Count > 0)
            {
                var (code, rows) = codes[0];
                var reason = $"Amounts are in {code}: the \"{columns[currencyColumn]}\" column says so";
                return (code, codes.Count == 1
                    ? reason + "."
                    : reason + $" on {rows:N0} of the first {codes.Sum(c => c.Rows):N0} rows; the others ({string.Join(", ", codes.Skip(1).Select(c => $"{c.Value} {c.Rows:N0}"))}) are added as they are, not converted.");
            }
        }

        foreach (var column in new[] { amountColumn, priceColumn })
        {
            var symbols = column < 0 ? [] : Tally(sample, column, Symbol);
            if (symbols.Count > 0)
            {
                var (symbol, _) = symbols[0];
                var code = symbol switch { "£" => "GBP", "€" => "EUR", _ => "USD" };
                var reason = $"Amounts are in {code}: the \"{columns[column]}\" column writes them with {symbol}";
                return (code, symbol == "$" ? reason + " (other dollars show the same sign)." : reason + ".");
            }
        }

        return (null, "The file does not say which currency its amounts are in (no currency column, and no £, € or $ in the amounts).");
    }

    /// <summary>Three ASCII letters, upper-cased ("gbp" → "GBP"); anything else is no currency code.</summary>
    public static string? Normalize(string? value)
    {
        var text = value.AsSpan().Trim();
        return text.Length == 3 && char.IsAsciiLetter(text[0]) && char.IsAsciiLetter(text[1]) && char.IsAsciiLetter(text[2])
            ? text.ToString().ToUpperInvariant()
            : null;
    }

    private static string? Symbol(string value)
    {
        var text = value.AsSpan().Trim().TrimStart('-').TrimStart('(');
        foreach (var symbol in (ReadOnlySpan<char>)['£', '€', '$'])
        {
            if (text.Length > 1 && (text[0] == symbol || text.TrimEnd(')')[^1] == symbol))
            {
                return symbol.ToString();
            }
        }

        return null;
    }

    private static List<(string Value, int Rows)> Tally(IReadOnlyList<SampleRecord> sample, int column, Func<string, string?> read) =>
        [.. sample.Where(r => column < r.Fields.Length).Select(r => read(r.Fields[column])).OfType<string>()
            .GroupBy(v => v, StringComparer.Ordinal).Select(g => (g.Key, g.Count())).OrderByDescending(g => g.Item2).ThenBy(g => g.Key, StringComparer.Ordinal)];
}
