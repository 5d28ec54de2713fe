using System.Globalization;
using System.Text;
using ClosedXML.Excel;
using ClvPortal.Core.Models;
using ClvPortal.Web.Data;

namespace ClvPortal.Web.Results;

/// <summary>
/// Per-customer results as CSV (streamed row by row) and XLSX (ClosedXML, built in memory, so capped by
/// <see cref="ResultsOptions.XlsxMaxCustomers"/>), in columns named as email and ads tools name them (Klaviyo,
/// Mailchimp, Google and Meta customer lists): <see cref="Columns"/> is the one place that defines them. Text from the
/// user's file (ids, emails, names, countries) is neutralised where a spreadsheet would run it as a formula (OWASP
/// "CSV injection").
/// </summary>
public static class CustomerExport
{
    /// <summary>One column of the export: its header and the value of one customer (null: an empty cell).</summary>
    public sealed record Column(string Name, Func<CustomerResultDocument, object?> Value);

    /// <summary>
    /// The export's columns, in order. Money rounded to cents, probabilities to 4 decimals, dates as yyyy-MM-dd. The last,
    /// currency, names the ISO 4217 code of the money columns (<paramref name="currency"/>; empty when the file named none),
    /// so a tool reading several exports does not add pounds to dollars.
    /// </summary>
    public static IReadOnlyList<Column> Columns(string? currency) =>
    [
        new("email", c => c.Email),
        new("customer_id", c => c.CustomerId),
        new("name", c => c.Name),
        new("country", c => c.Country),
        new("predicted_clv", c => Cents(c.HeadlineClv)),
        new("historic_clv", c => Cents(c.HistoricClv)),
        new("total_clv", c => Cents(c.TotalClv)),
        // Empty, not a made-up number, when BG/NBD could not be fitted.
        new("churn_probability", c => c.ChurnProbability is { } p ? Math.Round(p, 4) : null),
        new("churn_risk", c => ChurnRisk(c) is { Length: > 0 } risk ? risk : null),
        new("expected_next_order", c => c.ExpectedNextOrder),
        new("predicted_orders", c => Cents(c.ExpectedPurchases)),
        new("average_order_value", c => Cents(c.AverageOrderValue)),
        new("first_order", c => c.FirstPurchase),
        new("last_order", c => c.LastPurchase),
        new("orders", c => c.Orders),
        new("average_days_between_orders", c => c.AverageDaysBetweenOrders is { } d ? Math.Round(d, 1) : null),
        new("value_tier", c => ValueTiers.FileLabel(c.Tier)),
        new("currency", _ => currency),
    ];

    /// <summary>
    /// The download's file name: from the upload id and the filter's own words (<see cref="CustomerFilter.Slug"/>), never
    /// the user's file name or search text (which may hold anything).
    /// </summary>
    public static string FileName(Guid uploadId, string extension, CustomerFilter? filter = null) =>
        filter?.Slug is { Length: > 0 } slug ? $"clv-results-{uploadId:N}-{slug}.{extension}" : $"clv-results-{uploadId:N}.{extension}";

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
        var columns = Columns(currency);
        // UTF-8 with a byte order mark: Excel reads it as UTF-8 only with one.
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 64 * 1024, leaveOpen: true)
        {
            NewLine = "\r\n", // RFC 4180 line ends, whatever the server's OS
        };
        await writer.WriteLineAsync(string.Join(',', columns.Select(c => c.Name)));
        var rows = 0;
        var line = new StringBuilder(256);
        await foreach (var c in customers.WithCancellation(cancellationToken))
        {
            line.Clear();
            for (var col = 0; col < columns.Count; col++)
            {
                if (col > 0)
                {
                    line.Append(',');
                }

                line.Append(columns[col].Value(c) switch
                {
                    null => "",
                    double d => d.ToString("R", CultureInfo.InvariantCulture),
                    int i => i.ToString(CultureInfo.InvariantCulture),
                    DateTime t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    var text => CsvField(Neutralize(Convert.ToString(text, CultureInfo.InvariantCulture) ?? "")),
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
        var columns = Columns(currency);
        using var workbook = new XLWorkbook();
        var sheet = workbook.Worksheets.Add("Customers");
        for (var col = 0; col < columns.Count; col++)
        {
            sheet.Cell(1, col + 1).SetValue(columns[col].Name);
        }

        sheet.Row(1).Style.Font.Bold = true;
        var row = 2;
        foreach (var c in customers)
        {
            for (var col = 0; col < columns.Count; col++)
            {
                var cell = sheet.Cell(row, col + 1);
                switch (columns[col].Value(c))
                {
                    case null:
                        break;
                    case double d:
                        cell.SetValue(d);
                        break;
                    case int i:
                        cell.SetValue(i);
                        break;
                    case DateTime t:
                        cell.SetValue(t);
                        cell.Style.DateFormat.Format = "yyyy-mm-dd";
                        break;
                    case var text:
                        cell.SetValue(Neutralize(Convert.ToString(text, CultureInfo.InvariantCulture) ?? ""));
                        cell.DataType = XLDataType.Text;
                        break;
                }
            }

            row++;
        }

        // Fixed widths: AdjustToContents measures every cell with GDI+ (minutes and gigabytes on big sheets).
        sheet.Columns(1, 4).Width = 24;
        sheet.Columns(5, columns.Count).Width = 16;
        sheet.SheetView.FreezeRows(1);
        workbook.SaveAs(output);
    }

    // Adding 0.0 turns a rounded -0 into 0: "-0" in a spreadsheet reads as a refund.
    private static double Cents(double value) => Math.Round(value, 2) + 0.0;

    /// <summary>low / medium / high, as customers.csv spells it; empty when there is no churn probability.</summary>
    public static string ChurnRisk(CustomerResultDocument c) => c.ChurnLevel?.ToString().ToLowerInvariant() ?? "";

    private static string CsvField(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
