namespace ClvPortal.Core.Ingest;

/// <summary>One data record of the file as it is written, with its line (CSV) or row (XLSX) number.</summary>
public sealed record PreviewRow(long Line, IReadOnlyList<string> Fields);

/// <summary>A field the analysis reads from one column of the file, as the check step names it.</summary>
/// <param name="Key">The <see cref="ColumnMapping"/> property it sets ("CustomerId").</param>
/// <param name="Label">Its name in messages and on the page ("customer id").</param>
public sealed record ColumnRole(string Key, string Label, Func<ColumnMapping, string?> Get);

/// <summary>
/// What the "check columns" step shows before an analysis starts: the columns the portal detected, the
/// file's first rows as they are written, and the worksheets to choose from. Read from the head of the
/// file only (the same few megabytes <see cref="TransactionFile"/> detects from), so it costs the same
/// for a file of 1 MB and of 1 GB. <see cref="Check"/> then tries a mapping the user chose on the file's
/// first rows, so a wrong choice is refused before the analysis starts, not after.
/// </summary>
/// <param name="Description">Format, columns and the detected mapping (fields not found are null).</param>
/// <param name="WorkbookSheets">Every worksheet (XLSX), otherwise empty.</param>
/// <param name="Rows">The first data records, every column as written.</param>
/// <param name="Missing">What the detected mapping still lacks (customer id, date or amount), or null when it is complete.</param>
public sealed record FilePreview(FileDescription Description, IReadOnlyList<string> WorkbookSheets, IReadOnlyList<PreviewRow> Rows, InputProblem? Missing)
{
    /// <summary>How many of the file's first rows <see cref="Check"/> reads through the chosen mapping.</summary>
    public const int CheckedRows = 1000;

    /// <summary>The fields of <see cref="ColumnMapping"/> in the order the check step lists them.</summary>
    public static IReadOnlyList<ColumnRole> Roles { get; } =
    [
        new("CustomerId", "customer id", m => m.CustomerId),
        new("Date", "purchase date", m => m.Date),
        new("Amount", "amount", m => m.Amount),
        new("Quantity", "quantity", m => m.Quantity),
        new("UnitPrice", "unit price", m => m.UnitPrice),
        new("InvoiceId", "invoice / order id", m => m.InvoiceId),
        new("Country", "country", m => m.Country),
        new("Product", "product", m => m.Product),
    ];

    /// <summary>
    /// Detects the file's layout and columns from its head (the user's <paramref name="options"/> winning) and
    /// returns them with the first <paramref name="rows"/> records; a file whose customer id, date or amount
    /// column is not found still previews, with <see cref="Missing"/> saying which to choose. A file that cannot
    /// be read at all (not a table, damaged, empty) gives the problem instead.
    /// </summary>
    public static (FilePreview? Preview, InputProblem? Problem) Read(Stream stream, string fileName, IngestOptions options, int rows = 5)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            using var file = TransactionFile.Open(stream, fileName, options with { AllowIncompleteMapping = true });
            var head = file.ReadHead(rows).Select(r => new PreviewRow(r.Line, r.Fields)).ToList();
            return (new FilePreview(file.Description, file.WorkbookSheets, head, MissingField(file.Description.Mapping)), null);
        }
        catch (InputProblemException e)
        {
            return (null, e.Problem);
        }
    }

    /// <summary>
    /// Whether the mapping in <paramref name="options"/> (read as given: <see cref="IngestOptions.DetectColumns"/>
    /// is turned off) can be analysed: customer id, date and amount chosen, no column for two fields, and the
    /// first <see cref="CheckedRows"/> rows read through it giving dates, amounts and customers. Null when it can;
    /// otherwise the problem, naming the column and an example value.
    /// </summary>
    public static InputProblem? Check(Stream stream, string fileName, IngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var mapping = options.Overrides;
        if (MissingField(mapping) is { } missing)
        {
            return missing;
        }

        if (Roles.Select(r => (r.Label, Column: r.Get(mapping)))
                .Where(r => r.Column is not null)
                .GroupBy(r => ColumnDetector.Normalize(r.Column!))
                .FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            var labels = twice.Select(r => r.Label).ToList();
            return new InputProblem(
                $"The column \"{twice.First().Column}\" is chosen for both the {string.Join(" and the ", labels)}.",
                "A column can hold one field only: choose another column for one of them, or \"Not in the file\" where the file has no such column.");
        }

        try
        {
            using var file = TransactionFile.Open(stream, fileName, options with { DetectColumns = false });
            return CheckRows(file);
        }
        catch (InputProblemException e)
        {
            return e.Problem;
        }
    }

    /// <summary>The first required field the mapping leaves out, as a problem; null when none is missing.</summary>
    private static InputProblem? MissingField(ColumnMapping mapping)
    {
        if (mapping.CustomerId is null)
        {
            return new InputProblem(
                "No column is chosen for the customer id.",
                "Choose the column that tells customers apart, for example a customer number or an email address.");
        }

        if (mapping.Date is null)
        {
            return new InputProblem(
                "No column is chosen for the purchase date.",
                "Choose the column that holds the date of each purchase, for example \"Order Date\" or \"Created at\".");
        }

        if (mapping.Amount is null && (mapping.Quantity is null || mapping.UnitPrice is null))
        {
            return new InputProblem(
                mapping.Quantity is null && mapping.UnitPrice is null
                    ? "No column is chosen for the amount."
                    : $"Only the {(mapping.Quantity is null ? "unit price" : "quantity")} is chosen, and no amount.",
                "Choose the column with the value of each purchase (for example \"Total\"), or both a quantity and a unit price column.");
        }

        return null;
    }

    private static InputProblem? CheckRows(TransactionFile file)
    {
        var mapping = file.Description.Mapping;
        var columns = file.Description.Columns;
        var sample = file.ReadHead(int.MaxValue).ToDictionary(r => r.Line);

        int rows = 0, customers = 0, dates = 0, badDates = 0, amounts = 0, badAmounts = 0;
        long? badDateLine = null, badAmountLine = null;
        foreach (var row in file.ReadRows().Take(CheckedRows))
        {
            rows++;
            customers += row.CustomerId is null ? 0 : 1;
            dates += row.Date is null ? 0 : 1;
            amounts += row.Amount is null ? 0 : 1;
            if ((row.Flaws & RowFlaws.UnparseableDate) != 0)
            {
                badDates++;
                badDateLine ??= row.Line;
            }

            if ((row.Flaws & RowFlaws.UnparseableAmount) != 0)
            {
                badAmounts++;
                badAmountLine ??= row.Line;
            }
        }

        if (rows == 0)
        {
            return null;
        }

        // What the line holds in that column, as written, when the line is in the detection sample.
        string Example(long? line, string? column)
        {
            var index = column is null ? -1 : columns.ToList().IndexOf(column);
            return line is { } l && index >= 0 && sample.TryGetValue(l, out var record) && index < record.Fields.Length
                ? $"\"{record.Fields[index]}\" on line {l:N0}"
                : $"the value on line {line:N0}";
        }

        if (customers == 0)
        {
            return new InputProblem(
                $"The column \"{mapping.CustomerId}\" chosen as the customer id is empty in the first {rows:N0} rows.",
                "Choose the column that tells customers apart, for example a customer number or an email address.");
        }

        if (badDates > dates)
        {
            return new InputProblem(
                $"The column \"{mapping.Date}\" chosen as the purchase date does not hold dates: {Example(badDateLine, mapping.Date)} is not a date, " +
                $"and {badDates:N0} of the first {rows:N0} rows are like it.",
                "Choose the column that holds the date of each purchase. If it is the right column, check how dates like 03/04/2025 are written (day or month first).");
        }

        if (dates == 0)
        {
            return new InputProblem(
                $"The column \"{mapping.Date}\" chosen as the purchase date is empty in the first {rows:N0} rows.",
                "Choose the column that holds the date of each purchase.");
        }

        var amountColumn = mapping.Amount ?? mapping.UnitPrice;
        var amountLabel = mapping.Amount is null ? "the quantity and unit price columns" : $"the column \"{mapping.Amount}\" chosen as the amount";
        if (badAmounts > amounts || amounts == 0)
        {
            return new InputProblem(
                badAmountLine is null
                    ? $"The first {rows:N0} rows have no amount in {amountLabel}."
                    : $"{char.ToUpperInvariant(amountLabel[0])}{amountLabel[1..]} do{(mapping.Amount is null ? "" : "es")} not hold numbers: {Example(badAmountLine, amountColumn)} is not an amount, " +
                      $"and {badAmounts:N0} of the first {rows:N0} rows are like it.",
                "Choose the column with the value of each purchase (for example \"Total\"), or both a quantity and a unit price column.");
        }

        return null;
    }
}
