using ClvPortal.Core;
using ClvPortal.Core.Ingest;

namespace ClvPortal.Web.Analyses;

/// <summary>The two formats the pipeline reads.</summary>
public enum UploadFormat
{
    Csv,
    Xlsx,
}

/// <summary>
/// Decides from the file name and its first bytes whether an upload is a CSV or an XLSX workbook,
/// before anything is stored. The extension alone is not trusted: browsers send whatever the name says.
/// </summary>
public static class FileSniffer
{
    /// <summary>How many leading bytes <see cref="Check"/> wants to see (fewer when the file is shorter).</summary>
    public const int SniffBytes = 8192;

    // XLSX is a zip package (local file header "PK\x03\x04"); legacy .xls is an OLE2 compound file.
    private static ReadOnlySpan<byte> ZipMagic => [0x50, 0x4B, 0x03, 0x04];
    private static ReadOnlySpan<byte> OleMagic => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    private static readonly InputProblem OldExcel = new(
        "This is an old Excel workbook (.xls), which the portal cannot read.",
        "Open it in Excel and save it as .xlsx (Excel Workbook) or .csv, then upload that file.");

    // Excel encrypts a password-protected .xlsx into the same compound file format as an old .xls.
    private static InputProblem ProtectedOrOldExcel(string fileName) => new(
        $"\"{fileName}\" is a password-protected workbook or an old Excel 97-2003 workbook (.xls); the portal can read neither.",
        "If it has a password, remove it in Excel (File > Info > Protect Workbook > Encrypt with Password, then clear the password); then save it as .xlsx (Excel Workbook) or .csv and upload that file.");

    /// <summary>Checks the extension, then the content; returns the format or the problem to show.</summary>
    public static (UploadFormat? Format, InputProblem? Problem) Check(string fileName, ReadOnlySpan<byte> head)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (head.IsEmpty)
        {
            return (null, new InputProblem($"The file \"{fileName}\" is empty.", "Choose the file that holds your transactions and upload it again."));
        }

        if (head.StartsWith(OleMagic) || extension == ".xls")
        {
            return (null, extension == ".xls" ? OldExcel : ProtectedOrOldExcel(fileName));
        }

        if (FileSignatures.OtherFormat(head) is { } what)
        {
            return (null, new InputProblem(
                $"\"{fileName}\" is {what}, not a table of transactions.",
                "Export your transactions from your shop or spreadsheet as .csv or .xlsx and upload that file."));
        }

        switch (extension)
        {
            case ".xlsx":
                if (head.StartsWith(ZipMagic))
                {
                    return (UploadFormat.Xlsx, null);
                }

                return LooksLikeText(head)
                    ? (null, new InputProblem(
                        $"\"{fileName}\" is named .xlsx but is a text file (such as a CSV export), not an Excel workbook.",
                        "If it is a CSV export, rename it to .csv and upload it again; otherwise open it in Excel and save it as .xlsx."))
                    : (null, new InputProblem(
                        $"\"{fileName}\" is named .xlsx but is not an Excel workbook.",
                        "Open it in Excel and save it as .xlsx or .csv, then upload it again."));
            case ".csv":
            case ".txt":
                if (head.StartsWith(ZipMagic))
                {
                    return (null, new InputProblem(
                        $"\"{fileName}\" is named .csv but is an Excel workbook or a zip file.",
                        "Rename it to .xlsx if it is a workbook, or export the sheet as .csv, and upload it again."));
                }

                return LooksLikeText(head)
                    ? (UploadFormat.Csv, null)
                    : (null, NotText(fileName));
            default:
                return (null, new InputProblem(
                    $"\"{fileName}\" is not a .csv or .xlsx file.",
                    "Export your transactions as .csv or .xlsx and upload that file."));
        }
    }

    /// <summary>The problem for a CSV that turns out to hold binary data after its first bytes.</summary>
    public static InputProblem NotText(string fileName) => new(
        $"\"{fileName}\" is named .csv but contains binary data, not text.",
        "Export your transactions as a .csv (comma-separated text) or .xlsx file and upload that file.");

    /// <summary>
    /// True when <paramref name="bytes"/> may be text: UTF-16 (which has zero bytes by design) or
    /// anything without zero bytes, which text in UTF-8 and the 8-bit code pages never has.
    /// </summary>
    public static bool LooksLikeText(ReadOnlySpan<byte> bytes) =>
        IsUtf16(bytes) || bytes.IndexOf((byte)0) < 0;

    /// <summary>True for UTF-16 text, with a byte-order mark or without one, in which zero bytes are normal.</summary>
    public static bool IsUtf16(ReadOnlySpan<byte> head) => FileSignatures.Utf16(head) is not null;
}
