using System.Globalization;
using System.Text;
using ClosedXML.Excel;
using ClvPortal.Web.Data;

namespace ClvPortal.Web.Results;

/// <summary>
/// Per-customer results as CSV (streamed row by row) and XLSX (ClosedXML, built in memory, so capped by
/// <see cref="ResultsOptions.XlsxMaxCustomers"/>). Customer ids come from the user's file, so any id a
/// spreadsheet would run as a formula is neutralised (OWASP "CSV injection").
/// </summary>
public static class CustomerExport
{
    public static readonly string[] Header =
    [
        "customer_id", "headline_clv", "xgboost_clv", "bgnbd_gammagamma_clv", "baseline_clv", "expected_purchases",
        "probability_alive", "expected_average_value", "value_tier", "churn_probability", "churn_risk", "frequency", "recency", "t",
        "monetary_value", "total_revenue", "orders", "first_purchase", "last_purchase", "currency",
    ];

    /// <summary>The download's file name: from the upload id, never the user's file name (which may hold anything).</summary>
    public static string FileName(Guid uploadId, string extension) => $"clv-results-{uploadId:N}.{extension}";

    /// <summary>
    /// Text a spreadsheet would treat as a formula (leading = + - @, or a tab or carriage return that some
    /// programs strip first) gets a leading apostrophe, which spreadsheets show as text. Only text from the
    /// user's file goes through this; the numbers are the portal's own and stay numbers.
    /// </summary>
    public static string Neutralize(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;

    public static Task WriteCsvAsync(IAsyncEnumerable<CustomerResultDocument> customers, Stream output, CancellationToken cancellationToken) =>
        WriteCsvAsync(customers, output, currency: null, cancellationToken);

    /// <param name="currency">The ISO 4217 code of the money columns, written in the last column; null (empty) when the file named none.</param>
    public static async Task WriteCsvAsync(IAsyncEnumerable<CustomerResultDocument> customers, Stream output, string? currency, CancellationToken cancellationToken)
    {
        // UTF-8 with a byte order mark: Excel reads it as UTF-8 only with one.
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 64 * 1024, leaveOpen: true)
        {
            NewLine = "\r\n", // RFC 4180 line ends, whatever the server's OS
        };
        await writer.WriteLineAsync(string.Join(',', Header));
        var rows = 0;
        var line = new StringBuilder(256);
        await foreach (var c in customers.WithCancellation(cancellationToken))
        {
            line.Clear();
            line.Append(CsvField(Neutralize(c.CustomerId)));
            foreach (var value in Values(c, currency))
            {
                line.Append(',').Append(value switch
                {
                    double d => d.ToString("R", CultureInfo.InvariantCulture),
                    int i => i.ToString(CultureInfo.InvariantCulture),
                    bool b => b ? "true" : "false",
                    DateTime t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    _ => CsvField(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
                });
            }

            await writer.WriteLineAsync(line, cancellationToken);
            // Hand each batch to the client as it is written so memory stays flat however many customers there are.
            if (++rows % 5000 == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        await writer.FlushAsync(cancellationToken);
    }

    /// <param name="currency">The ISO 4217 code of the money columns, written in the last column; null (empty) when the file named none.</param>
    public static void WriteXlsx(IEnumerable<CustomerResultDocument> customers, Stream output, string? currency = null)
    {
        using var workbook = new XLWorkbook();
        var sheet = workbook.Worksheets.Add("Customers");
        for (var col = 0; col < Header.Length; col++)
        {
            sheet.Cell(1, col + 1).SetValue(Header[col]);
        }

        sheet.Row(1).Style.Font.Bold = true;
        var row = 2;
        foreach (var c in customers)
        {
            var id = sheet.Cell(row, 1);
            id.SetValue(Neutralize(c.CustomerId));
            id.DataType = XLDataType.Text;
            var col = 2;
            foreach (var value in Values(c, currency))
            {
                var cell = sheet.Cell(row, col++);
                switch (value)
                {
                    case double d:
                        cell.SetValue(d);
                        break;
                    case int i:
                        cell.SetValue(i);
                        break;
                    case bool b:
                        cell.SetValue(b);
                        break;
                    case DateTime t:
                        cell.SetValue(t);
                        cell.Style.DateFormat.Format = "yyyy-mm-dd";
                        break;
                    default:
                        cell.SetValue(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
                        cell.DataType = XLDataType.Text;
                        break;
                }
            }

            row++;
        }

        // Fixed widths: AdjustToContents measures every cell with GDI+ (minutes and gigabytes on big sheets).
        sheet.Column(1).Width = 24;
        sheet.Columns(2, Header.Length).Width = 16;
        sheet.SheetView.FreezeRows(1);
        workbook.SaveAs(output);
    }

    // Everything after the customer id, in header order.
    private static object[] Values(CustomerResultDocument c, string? currency) =>
    [
        c.HeadlineClv, c.XgbClv, c.ProbabilisticClv, c.BaselineClv, c.ExpectedPurchases,
        c.ProbabilityAlive, c.ExpectedAverageValue, c.Tier.ToString(),
        // Text, not a number, when unknown: an empty cell rather than a made-up probability.
        c.ChurnProbability is { } churn ? churn : "", ChurnRisk(c), c.Frequency, c.Recency, c.T,
        c.MonetaryValue, c.TotalRevenue, c.Orders, c.FirstPurchase, c.LastPurchase, currency ?? "",
    ];

    /// <summary>low / medium / high, as customers.csv spells it; empty when there is no churn probability.</summary>
    public static string ChurnRisk(CustomerResultDocument c) => c.ChurnLevel?.ToString().ToLowerInvariant() ?? "";

    private static string CsvField(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
