using System.Globalization;
using ClvPortal.Core;
using ClvPortal.Core.Cleaning;
using ClvPortal.Core.Features;
using ClvPortal.Core.Ingest;
using ClvPortal.Web.Data;

namespace ClvPortal.Web.Analyses;

/// <summary>
/// The settings fields of the upload form (sent before the file, so they are known before a byte is
/// stored), turned into <see cref="AnalysisSettings"/>. Field names match the inputs of the upload page.
/// </summary>
public static class UploadForm
{
    public const string FileField = "file";

    /// <summary>
    /// "true": store the file and wait for its owner to check the columns (the upload page sends it); without it
    /// the analysis starts at once with the columns named in the form or detected.
    /// </summary>
    public const string CheckField = "Check";

    /// <summary>Most fields a form may carry, and the longest value: settings are short, anything bigger is not our form.</summary>
    public const int MaxFields = 32;

    public const int MaxFieldLength = 1024;

    public static (AnalysisSettings? Settings, InputProblem? Problem) Parse(IReadOnlyDictionary<string, string> fields)
    {
        var settings = new AnalysisSettings
        {
            Columns = new ColumnMapping
            {
                CustomerId = Text(fields, "Columns.CustomerId"),
                Date = Text(fields, "Columns.Date"),
                Amount = Text(fields, "Columns.Amount"),
                Quantity = Text(fields, "Columns.Quantity"),
                UnitPrice = Text(fields, "Columns.UnitPrice"),
                InvoiceId = Text(fields, "Columns.InvoiceId"),
                Country = Text(fields, "Columns.Country"),
                Product = Text(fields, "Columns.Product"),
            },
            Sheet = Text(fields, "Sheet"),
        };

        if (!TryEnum(fields, "TimeUnit", TimeUnit.Days, out var timeUnit)
            || !TryEnum(fields, "Returns", ReturnsHandling.Net, out var returns)
            || !TryEnum(fields, "DateOrder", DateOrder.Auto, out var dateOrder))
        {
            return (null, new InputProblem("One of the settings has a value the portal does not know.", "Reload the upload page and choose the settings again."));
        }

        settings.TimeUnit = timeUnit;
        settings.Returns = returns;
        settings.DateOrder = dateOrder;

        var horizon = Text(fields, "HorizonMonths");
        if (horizon is not null)
        {
            if (!int.TryParse(horizon, NumberStyles.Integer, CultureInfo.InvariantCulture, out var months) || months is < 1 or > 60)
            {
                return (null, new InputProblem($"The horizon \"{horizon}\" is not a number of months between 1 and 60.", "Enter how many months ahead to predict, e.g. 12."));
            }

            settings.HorizonMonths = months;
        }

        var rate = Text(fields, "AnnualDiscountRatePercent");
        if (rate is not null)
        {
            // TryParse also takes "NaN" and "Infinity" (and turns 1e999 into Infinity); NaN passes any range check.
            if (!double.TryParse(rate, NumberStyles.Float, CultureInfo.InvariantCulture, out var annualPercent)
                || !double.IsFinite(annualPercent) || annualPercent is < 0 or > 100)
            {
                return (null, new InputProblem($"The discount rate \"{rate}\" is not a percentage between 0 and 100.", "Enter the yearly discount rate in percent, e.g. 10, or leave it empty for none."));
            }

            settings.MonthlyDiscountRate = MonthlyRate(annualPercent / 100);
        }

        var currency = Text(fields, "Currency");
        if (currency is not null)
        {
            settings.Currency = CurrencyCode(currency);
            if (settings.Currency is null)
            {
                return (null, new InputProblem(
                    $"The currency \"{Quoted(currency)}\" is not a three-letter currency code.",
                    "Enter the code of your shop's currency, such as GBP, EUR or USD, or leave it empty to detect it from the file."));
            }
        }

        if (settings.Columns.Quantity is null != (settings.Columns.UnitPrice is null) && settings.Columns.Amount is null)
        {
            return (null, new InputProblem(
                "Only one of the quantity and unit price columns is named.",
                "Name both (the amount is quantity times unit price), or name the amount column instead."));
        }

        return (settings, null);
    }

    /// <summary>Whether the form asks for the "check columns" step before the analysis starts.</summary>
    public static bool WantsCheck(IReadOnlyDictionary<string, string> fields) =>
        string.Equals(Text(fields, CheckField), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The monthly rate that compounds to the yearly rate a finance team quotes:
    /// (1 + monthly)^12 = 1 + annual.
    /// </summary>
    public static double MonthlyRate(double annual) => Math.Pow(1 + annual, 1.0 / 12) - 1;

    /// <summary>"gbp" → "GBP"; null for anything but three ASCII letters.</summary>
    private static string? CurrencyCode(string text) =>
        text.Length == 3 && text.All(char.IsAsciiLetter) ? text.ToUpperInvariant() : null;

    /// <summary>
    /// A refused value as a message quotes it: at most 12 characters, invisible and direction-changing characters
    /// (a right-to-left override would reverse the rest of the sentence) shown as "?".
    /// </summary>
    private static string Quoted(string value)
    {
        var shown = new string([.. value.Take(12).Select(c => char.IsControl(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format ? '?' : c)]);
        return value.Length > 12 ? shown + "…" : shown;
    }

    private static string? Text(IReadOnlyDictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static bool TryEnum<T>(IReadOnlyDictionary<string, string> fields, string name, T fallback, out T value)
        where T : struct, Enum
    {
        var text = Text(fields, name);
        if (text is null)
        {
            value = fallback;
            return true;
        }

        return Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value);
    }
}
