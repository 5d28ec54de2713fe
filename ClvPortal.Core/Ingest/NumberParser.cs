using System.Globalization;

namespace ClvPortal.Core.Ingest;

/// <summary>
/// Parses amounts, quantities and prices from spans without allocating: invariant culture, an optional
/// currency sign, and the decimal comma of European exports ("1.234,50") when the file uses it.
/// </summary>
internal static class NumberParser
{
    private const NumberStyles Styles = NumberStyles.Float | NumberStyles.AllowThousands;

    public static bool TryParse(ReadOnlySpan<char> text, bool decimalComma, out double value)
    {
        text = TrimCurrency(text.Trim());
        if (!decimalComma)
        {
            return double.TryParse(text, Styles, CultureInfo.InvariantCulture, out value);
        }

        if (text.Length > 128)
        {
            value = 0;
            return false;
        }

        // "1.234,50" -> "1234.50": dots group thousands, the comma marks decimals.
        Span<char> buffer = stackalloc char[text.Length];
        var length = 0;
        foreach (var c in text)
        {
            if (c == '.' || c == ' ' || c == '\u00A0')
            {
                continue;
            }

            buffer[length++] = c == ',' ? '.' : c;
        }

        return double.TryParse(buffer[..length], NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Whether the text looks like a number written with a decimal comma ("12,50", "-1.234,5").</summary>
    public static bool LooksDecimalComma(ReadOnlySpan<char> text)
    {
        text = TrimCurrency(text.Trim());
        var comma = text.LastIndexOf(',');
        if (comma <= 0 || comma == text.Length - 1 || text.Length - comma - 1 == 3 && text[..comma].IndexOf('.') < 0)
        {
            // "1,234" is as likely a thousands separator as a decimal comma: no evidence either way.
            return false;
        }

        foreach (var c in text[(comma + 1)..])
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return text[comma..].IndexOf('.') < 0;
    }

    private static ReadOnlySpan<char> TrimCurrency(ReadOnlySpan<char> text)
    {
        if (text.Length > 1 && text[0] is '$' or '€' or '£')
        {
            text = text[1..].TrimStart();
        }
        else if (text.Length > 2 && text[0] == '-' && text[1] is '$' or '€' or '£')
        {
            // "-$5.00": keep the sign, drop the symbol. Rare enough to allocate.
            return ("-" + text[2..].ToString()).AsSpan();
        }

        if (text.Length > 1 && text[^1] is '$' or '€' or '£')
        {
            text = text[..^1].TrimEnd();
        }

        return text;
    }
}
