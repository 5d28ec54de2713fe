namespace ClvPortal.Core.Ingest;

/// <summary>Every message Ingest can give about a file, in one place so they read alike: what is wrong, then what to do.</summary>
internal static class IngestProblems
{
    private const string SaveAs = "Open it in Excel (or another spreadsheet program), choose File > Save As, pick \"Excel Workbook (.xlsx)\" or \"CSV UTF-8 (.csv)\", and upload that file.";

    public static InputProblem Empty(string fileName) => new(
        $"The file \"{fileName}\" is empty.",
        "Export your transactions again and upload the file that contains them.");

    public static InputProblem HeaderOnly(string fileName, IReadOnlyList<string> columns) => new(
        $"The file \"{fileName}\" has column headers ({Join(columns)}) but no transaction rows under them.",
        "Export the transactions again, making sure the date range or filter includes some orders.");

    public static InputProblem Binary(string fileName) => new(
        $"The file \"{fileName}\" is not a text table: it contains binary data, so it cannot be read as CSV.",
        "Upload a .csv or .xlsx export of your transactions (one row per purchase with customer, date and amount).");

    public static InputProblem KnownOtherFormat(string fileName, string what) => new(
        $"The file \"{fileName}\" is {what}, not a transaction table.",
        "Upload a .csv or .xlsx export of your transactions (one row per purchase with customer, date and amount).");

    public static InputProblem OleDocument(string fileName) => new(
        $"The file \"{fileName}\" is either a password-protected workbook or an old Excel 97-2003 (.xls) file; neither can be read here.",
        "Remove the password if there is one (File > Info > Protect Workbook), then " + char.ToLowerInvariant(SaveAs[0]) + SaveAs[1..]);

    public static InputProblem LegacyExcel(string fileName) => new(
        $"The file \"{fileName}\" is an old Excel 97-2003 (.xls) workbook, which cannot be read here.",
        SaveAs);

    public static InputProblem NotAWorkbook(string fileName) => new(
        $"The file \"{fileName}\" is named like an Excel workbook but is not one (it is not a valid .xlsx file; it may have been renamed or damaged).",
        SaveAs);

    public static InputProblem ZipWithoutWorkbook(string fileName) => new(
        $"The file \"{fileName}\" is a zip archive but not an Excel workbook (it has no worksheets).",
        "Unzip it and upload the .csv or .xlsx file inside, or " + char.ToLowerInvariant(SaveAs[0]) + SaveAs[1..]);

    public static InputProblem Damaged(string fileName) => new(
        $"The workbook \"{fileName}\" is damaged or incomplete (the upload may have been cut off).",
        "Open it in Excel to check it, save it again as .xlsx or .csv, and upload it again.");

    public static InputProblem TooLarge(string fileName, string part, long limitBytes) => new(
        $"The workbook \"{fileName}\" expands to more than {limitBytes / (1024 * 1024):N0} MB when unpacked ({part}), more than any real transaction file; it may be a malicious \"zip bomb\".",
        "If the file is genuine, split it into smaller files or save it as .csv and upload that.");

    public static InputProblem CompressedTooFar(string fileName, string part, long length, long compressedLength) => new(
        $"The workbook \"{fileName}\" unpacks {part} from {Size(compressedLength)} to {Size(length)}, {length / Math.Max(compressedLength, 1):N0} times its packed size, where real worksheets unpack to 5-20 times theirs; it may be a malicious \"zip bomb\", so it was not unpacked.",
        "If the file is genuine, save it as .csv and upload that, or split it into smaller workbooks.");

    public static InputProblem XmlDoctype(string fileName, string part) => new(
        $"The workbook \"{fileName}\" contains an XML document type declaration (<!DOCTYPE> in {part}). Excel never writes one, and it is how XML \"entity bomb\" and external-entity attacks are built, so the file was not read.",
        "If the workbook is genuine, open it in Excel and save it again as .xlsx (or .csv), then upload that file.");

    public static InputProblem LineTooLong(long line, int maxChars) => new(
        $"Line {line:N0} of the file is longer than {maxChars:N0} characters, so the file is not a table with one transaction per line (or a quote is never closed).",
        "Check that the file is a CSV export with one transaction per line, and that every opening quote (\") has a closing one.");

    public static InputProblem UnclosedQuote(long line) => new(
        $"Line {line:N0} opens a quoted value (\") that is never closed, so everything after it would be read as one value.",
        "Fix that line (a value containing a quote must be wrapped in quotes, with the quote inside doubled: \"\"), or export the file again from your spreadsheet, and upload it again.");

    public static InputProblem OnlyEmptyRowsInSample(string fileName, IReadOnlyList<string> columns, int sampleBytes) => new(
        $"The first {sampleBytes / (1024 * 1024):N0} MB of \"{fileName}\" hold column headers ({Join(columns)}) but only empty rows under them, so its columns cannot be recognised.",
        "Delete the empty rows between the header and the first transaction (in a spreadsheet: select them, then Delete Rows), or export the data again, and upload the file again.");

    public static InputProblem SheetNotFound(string fileName, string sheet, IReadOnlyList<string> sheets) => new(
        $"The workbook \"{fileName}\" has no sheet named \"{sheet}\". Its sheets are: {Join(sheets)}.",
        "Choose one of those sheet names, or leave the sheet empty to read the first sheet with data.");

    public static InputProblem NoData(string fileName) => new(
        $"The workbook \"{fileName}\" has no sheet with data.",
        "Upload the workbook that holds your transactions, with column headers in the first row.");

    public static InputProblem MissingColumn(string required, IReadOnlyList<string> columns, string hint) => new(
        $"No {required} column was found. The file's columns are: {Join(columns)}.",
        hint);

    public static InputProblem UnknownColumn(string setting, string name, IReadOnlyList<string> columns) => new(
        $"The {setting} column \"{name}\" you chose is not in the file. The file's columns are: {Join(columns)}.",
        "Choose one of those column names exactly as written (upper/lower case and spaces do not matter).");

    private static string Size(long bytes) => bytes < 1024 * 1024 ? $"{bytes / 1024.0:N0} KB" : $"{bytes / (1024.0 * 1024):N0} MB";

    public static string Join(IReadOnlyList<string> columns) =>
        columns.Count == 0 ? "(none)" : string.Join(", ", columns.Select(c => $"\"{c}\""));
}
