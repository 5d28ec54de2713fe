using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ClvPortal.Web.Results;

/// <summary>
/// How numbers read on every page and email: thousands separators, the analysis' currency (or the configured symbol
/// when the file named none), whole amounts for totals and cents for averages, counts, file sizes and dates.
/// Invariant culture so a page reads the same for everyone, whatever the server's locale. The one place money is written. A value that rounds to zero reads as
/// zero, never "-$0.00" or "-0.0%"; percentages have no space ("12.3%").
/// </summary>
public sealed partial class NumberFormats(string currencySymbol)
{
    /// <summary>Symbols people know for the common ISO 4217 codes; any other code is written before the amount ("CHF 1,234").</summary>
    private static readonly Dictionary<string, string> Symbols = new(StringComparer.OrdinalIgnoreCase)
    {
        ["USD"] = "$", ["GBP"] = "£", ["EUR"] = "€", ["JPY"] = "¥", ["CNY"] = "CN¥", ["INR"] = "₹", ["KRW"] = "₩",
        ["CAD"] = "CA$", ["AUD"] = "A$", ["NZD"] = "NZ$", ["HKD"] = "HK$", ["SGD"] = "S$", ["MXN"] = "MX$", ["BRL"] = "R$",
        ["ILS"] = "₪", ["PHP"] = "₱", ["VND"] = "₫", ["NGN"] = "₦", ["UAH"] = "₴", ["TRY"] = "₺", ["PLN"] = "zł ",
    };

    private static readonly ConcurrentDictionary<(string Code, string Fallback), NumberFormats> ByCurrency = new();

    private readonly NumberFormatInfo _money = CreateMoneyFormat(currencySymbol);

    public string CurrencySymbol { get; } = currencySymbol;

    /// <summary>The formats for an analysis in <paramref name="currency"/> (an ISO code, "GBP"); these formats when it is null.</summary>
    public NumberFormats For(string? currency) => ForCurrency(currency, CurrencySymbol);

    /// <summary>The formats for <paramref name="currency"/>, or for <paramref name="fallbackSymbol"/> when the file named no currency.</summary>
    public static NumberFormats ForCurrency(string? currency, string fallbackSymbol = "$")
    {
        var code = currency?.Trim().ToUpperInvariant() ?? "";
        return ByCurrency.GetOrAdd((code, fallbackSymbol), key => new NumberFormats(
            key.Code.Length == 0 ? key.Fallback : Symbols.GetValueOrDefault(key.Code, key.Code + " ")));
    }

    /// <summary>A total: "$1,234,567".</summary>
    public string Money(double value) => Rounded(value, 0).ToString("C0", _money);

    /// <summary>A per-customer or per-order amount: "$1,234.56".</summary>
    public string Money2(double value) => Rounded(value, 2).ToString("C2", _money);

    public string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A count with its noun: "1 order", "2 orders", "1,204 customers"; <paramref name="plural"/> when it is not singular + "s".</summary>
    public string Count(long value, string singular, string? plural = null) =>
        Count(value) + " " + (value == 1 ? singular : plural ?? singular + "s");

    /// <summary>A share of a whole, 0..1: "12.3%".</summary>
    public string Percent(double fraction) => Rounded(fraction * 100, 1).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    public string Number(double value, int decimals = 2) => Rounded(value, decimals).ToString("N" + decimals, CultureInfo.InvariantCulture);

    /// <summary>A fitted model parameter: four significant decimals when small, whole with separators when large.</summary>
    public string Parameter(double value) =>
        Math.Abs(value) >= 1000 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>
    /// A sentence stored with an analysis, with its percentages written as everywhere else: analyses made before
    /// the models wrote "127%" say "127 %" (.NET's invariant percent pattern).
    /// </summary>
    public static string Sentence(string text) => SpacedPercent().Replace(text, "%");

    public static string Date(DateTime value) => value.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>A moment to the minute, "3 Dec 2026, 14:05" (the portal stores and shows UTC).</summary>
    public static string DateAndTime(DateTime value) => value.ToString("d MMM yyyy, HH:mm", CultureInfo.InvariantCulture);

    /// <summary>"512 bytes", "12.3 KB", "1,024.0 MB": the unit a user expects for each size.</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes",
        < 1024 * 1024 => (bytes / 1024.0).ToString("N1", CultureInfo.InvariantCulture) + " KB",
        < 1024L * 1024 * 1024 => (bytes / (1024.0 * 1024)).ToString("N1", CultureInfo.InvariantCulture) + " MB",
        _ => (bytes / (1024.0 * 1024 * 1024)).ToString("N2", CultureInfo.InvariantCulture) + " GB",
    };

    /// <summary>
    /// Rounded as it will be printed, with a negative result that prints as zero made +0: -0.001 would read
    /// "-$0.00", a sign for nothing. NaN and infinities pass through.
    /// </summary>
    private static double Rounded(double value, int decimals)
    {
        var rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        return rounded == 0 ? 0 : value;
    }

    private static NumberFormatInfo CreateMoneyFormat(string symbol)
    {
        var format = (NumberFormatInfo)CultureInfo.InvariantCulture.NumberFormat.Clone();
        format.CurrencySymbol = symbol;
        format.CurrencyPositivePattern = 0; // $n
        format.CurrencyNegativePattern = 1; // -$n (the invariant default is ($n), which reads as an accounting quirk)
        return format;
    }

    [GeneratedRegex(@"(?<=\d) %")]
    private static partial Regex SpacedPercent();
}
