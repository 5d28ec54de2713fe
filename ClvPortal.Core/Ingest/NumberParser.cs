using System.Globalization;
using System.Numerics;

namespace ClvPortal.Core.Ingest;

/// <summary>
/// Parses amounts, quantities and prices from spans without allocating: invariant culture, an optional
/// currency sign, the decimal comma of European exports ("1.234,50") when the file uses it, and the
/// accountant's negative in parentheses ("(5.00)", "($1,234.56)") that finance exports write for refunds.
/// </summary>
internal static class NumberParser
{
    private const NumberStyles Styles = NumberStyles.Float | NumberStyles.AllowThousands;

    /// <summary>
    /// Longer than any amount written out, separators and currency included: a decimal-comma field past it is no number,
    /// and an ASCII field up to it is widened to characters on the stack.
    /// </summary>
    private const int MaxLength = 128;

    /// <summary>Exact powers of ten: m / 10^k is correctly rounded for m below 2^53 and k up to 22 (Clinger 1990).</summary>
    private static readonly double[] PowersOfTen = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    /// <param name="text">Characters, or the bytes of ASCII text.</param>
    public static bool TryParse<TChar>(ReadOnlySpan<TChar> text, bool decimalComma, out double value)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        if (!decimalComma && TryParseSimple(text, out value))
        {
            return true;
        }

        // The rarer shapes are read as characters.
        Span<char> buffer = typeof(TChar) == typeof(char) ? [] : text.Length <= MaxLength ? stackalloc char[MaxLength] : new char[text.Length];
        return TryParseOther(CodeUnits.AsChars(text, buffer), decimalComma, out value);
    }

    private static bool TryParseOther(ReadOnlySpan<char> text, bool decimalComma, out double value)
    {
        text = text.Trim();
        if (text.Length > 2 && text[0] == '(' && text[^1] == ')')
        {
            // "(-5)" is no amount an accountant writes: a negative inside parentheses is refused.
            var positive = TryParse(text[1..^1], decimalComma, out value) && value >= 0;
            value = positive ? -value : 0;
            return positive;
        }

        text = TrimCurrency(text);
        if (!decimalComma)
        {
            return double.TryParse(text, Styles, CultureInfo.InvariantCulture, out value);
        }

        if (text.Length > MaxLength)
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

    /// <summary>
    /// The shape of nearly every amount, quantity and price ("-12", "2.55"), parsed in one pass with the
    /// same result double.Parse gives; anything else (exponents, thousands, currency signs) falls through.
    /// </summary>
    private static bool TryParseSimple<TChar>(ReadOnlySpan<TChar> text, out double value)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (text.Length > 0 && uint.CreateTruncating(text[0]) == '-')
        {
            negative = true;
            i = 1;
        }

        long mantissa = 0;
        var digits = 0;
        var fractionDigits = -1;
        for (; i < text.Length; i++)
        {
            var c = uint.CreateTruncating(text[i]);
            if (c - '0' <= 9)
            {
                mantissa = mantissa * 10 + (c - '0');
                digits++;
                if (fractionDigits >= 0)
                {
                    fractionDigits++;
                }
            }
            else if (c == '.' && fractionDigits < 0)
            {
                fractionDigits = 0;
            }
            else
            {
                return false;
            }
        }

        if (digits is 0 or > 15 || fractionDigits == 0)
        {
            return false;
        }

        var result = fractionDigits > 0 ? mantissa / PowersOfTen[fractionDigits] : mantissa;
        value = negative ? -result : result;
        return true;
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
