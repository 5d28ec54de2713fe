using System.Globalization;
using System.IO.Compression;
using System.Security;
using System.Text;

namespace ClvPortal.Tests.Web.Analyses.BadInput;

/// <summary>
/// Workbooks written part by part as raw XML, so the corpus controls every byte Excel would never write:
/// DOCTYPEs, formulas without cached values, billions of empty rows, sizes that lie.
/// </summary>
internal static class RawXlsx
{
    public const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    public const string SheetPath = "xl/worksheets/sheet1.xml";
    public const string SharedStringsPath = "xl/sharedStrings.xml";

    private const string Declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
    private const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    /// <summary>Cell styles: 0 general, 1 a built-in date format (14), 2 a custom date-time format.</summary>
    private const string Styles = Declaration +
        "<styleSheet xmlns=\"" + Main + "\"><numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"yyyy-mm-dd hh:mm\"/></numFmts>" +
        "<fonts count=\"1\"><font/></fonts><fills count=\"1\"><fill/></fills><borders count=\"1\"><border/></borders>" +
        "<cellStyleXfs count=\"1\"><xf/></cellStyleXfs><cellXfs count=\"3\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/>" +
        "<xf numFmtId=\"164\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>";

    /// <summary>A one-sheet workbook ("Orders") whose sheet XML is written by <paramref name="writeSheet"/>.</summary>
    public static byte[] Workbook(Action<Stream> writeSheet, string? sharedStrings = null, bool date1904 = false, CompressionLevel level = CompressionLevel.Optimal)
    {
        var relationships = new StringBuilder(Declaration)
            .Append("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">")
            .Append("<Relationship Id=\"rId1\" Type=\"" + Relationships + "/worksheet\" Target=\"worksheets/sheet1.xml\"/>")
            .Append("<Relationship Id=\"rId2\" Type=\"" + Relationships + "/styles\" Target=\"styles.xml\"/>");
        if (sharedStrings is not null)
        {
            relationships.Append("<Relationship Id=\"rId3\" Type=\"" + Relationships + "/sharedStrings\" Target=\"sharedStrings.xml\"/>");
        }

        relationships.Append("</Relationships>");
        var parts = new List<(string, Action<Stream>)>
        {
            ("[Content_Types].xml", Xml(Declaration +
                "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">" +
                "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>" +
                "<Default Extension=\"xml\" ContentType=\"application/xml\"/>" +
                "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>" +
                "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>" +
                "</Types>")),
            ("_rels/.rels", Xml(Declaration +
                "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
                "<Relationship Id=\"rId1\" Type=\"" + Relationships + "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>")),
            ("xl/workbook.xml", Xml(Declaration +
                "<workbook xmlns=\"" + Main + "\" xmlns:r=\"" + Relationships + "\">" +
                (date1904 ? "<workbookPr date1904=\"1\"/>" : "<workbookPr/>") +
                "<sheets><sheet name=\"Orders\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>")),
            ("xl/_rels/workbook.xml.rels", Xml(relationships.ToString())),
            ("xl/styles.xml", Xml(Styles)),
            (SheetPath, writeSheet),
        };
        if (sharedStrings is not null)
        {
            parts.Add((SharedStringsPath, Xml(sharedStrings)));
        }

        return Zip(parts, level);
    }

    /// <summary>A one-sheet workbook with these rows (each a list of cells such as <see cref="Cell(string)"/>).</summary>
    public static byte[] Workbook(IEnumerable<string[]> rows, string? sharedStrings = null, bool date1904 = false) =>
        Workbook(Xml(Sheet(rows)), sharedStrings, date1904);

    public static byte[] Zip(IEnumerable<(string Path, Action<Stream> Write)> parts, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, write) in parts)
            {
                using var entry = zip.CreateEntry(path, level).Open();
                write(entry);
            }
        }

        return memory.ToArray();
    }

    public static Action<Stream> Xml(string text) => stream => stream.Write(Encoding.UTF8.GetBytes(text));

    /// <summary>Sheet XML with row numbers 1, 2, 3, ... and cell references A, B, C, ... in place of "{r}".</summary>
    public static string Sheet(IEnumerable<string[]> rows, string? doctype = null)
    {
        var xml = new StringBuilder(Declaration).Append(doctype).Append("<worksheet xmlns=\"" + Main + "\"><sheetData>");
        var r = 0;
        foreach (var cells in rows)
        {
            r++;
            xml.Append(CultureInfo.InvariantCulture, $"<row r=\"{r}\">");
            for (var c = 0; c < cells.Length; c++)
            {
                xml.Append(cells[c].Replace("{r}", $"{(char)('A' + c)}{r}", StringComparison.Ordinal));
            }

            xml.Append("</row>");
        }

        return xml.Append("</sheetData></worksheet>").ToString();
    }

    public static string SheetStart(string? doctype = null) => Declaration + doctype + "<worksheet xmlns=\"" + Main + "\"><sheetData>";

    public const string SheetEnd = "</sheetData></worksheet>";

    /// <summary>An inline string cell (placed by <see cref="Sheet"/>).</summary>
    public static string Cell(string text) => $"<c r=\"{{r}}\" t=\"inlineStr\"><is><t>{SecurityElement.Escape(text)}</t></is></c>";

    public static string Cell(double number) => $"<c r=\"{{r}}\"><v>{number.ToString("R", CultureInfo.InvariantCulture)}</v></c>";

    /// <summary>A date as Excel stores it: a serial day number in a date-formatted cell, in the 1900 or 1904 date system.</summary>
    public static string DateCell(DateTime value, bool date1904 = false) =>
        $"<c r=\"{{r}}\" s=\"2\"><v>{Serial(value, date1904).ToString("R", CultureInfo.InvariantCulture)}</v></c>";

    public static string SharedCell(int index) => $"<c r=\"{{r}}\" t=\"s\"><v>{index}</v></c>";

    /// <summary>A formula cell, with the value Excel cached when it last calculated (or none).</summary>
    public static string FormulaCell(string formula, string? cached, string? type = null) =>
        $"<c r=\"{{r}}\"{(type is null ? "" : $" t=\"{type}\"")}><f>{SecurityElement.Escape(formula)}</f>{(cached is null ? "" : $"<v>{SecurityElement.Escape(cached)}</v>")}</c>";

    public static string SharedStrings(string? doctype, params string[] items) =>
        Declaration + doctype + $"<sst xmlns=\"{Main}\" count=\"{items.Length}\" uniqueCount=\"{items.Length}\">" +
        string.Concat(items.Select(i => $"<si><t>{i}</t></si>")) + "</sst>";

    public static double Serial(DateTime value, bool date1904 = false) =>
        (value - (date1904 ? new DateTime(1904, 1, 1) : new DateTime(1899, 12, 30))).TotalDays;
}
