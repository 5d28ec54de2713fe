using System.IO.Compression;
using System.Text;

namespace ClvPortal.Core.Synthetic;

public static partial class TransactionGenerator
{
    private const string Header = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";

    // Excel's limit is 1,048,576 rows a sheet; bigger files continue on sheets with the same header,
    // as the real "Online Retail II" workbook does (one sheet per year).
    private const int RowsPerSheet = 1_000_000;

    private static readonly string[] StockCodes = [.. Enumerable.Range(0, ProductCount).Select(p => p % 7 == 0 ? $"{20_000 + p}{(char)('A' + (p % 5))}" : $"{20_000 + p}")];
    private static readonly string[] Descriptions = [.. Enumerable.Range(0, ProductCount).Select(Describe)];

    /// <summary>Writes a CSV in the layout of UCI Online Retail, dates as "MM/dd/yyyy HH:mm". Leaves the stream open.</summary>
    public static void WriteCsv(Stream output, GeneratorOptions options)
    {
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        writer.Write(Header);
        writer.Write('\n');
        var buffer = new char[256];
        Generate(options, line =>
        {
            var span = buffer.AsSpan();
            var n = 0;
            if (line.Cancelled)
            {
                span[n++] = 'C';
            }

            n += Number(span[n..], line.Invoice);
            span[n++] = ',';
            n += Text(span[n..], StockCodes[line.Product]);
            span[n++] = ',';
            n += Text(span[n..], Descriptions[line.Product]);
            span[n++] = ',';
            n += Number(span[n..], line.Quantity);
            span[n++] = ',';
            n += UsDate(span[n..], line.Date);
            span[n++] = ',';
            n += Cents(span[n..], line.UnitPriceCents);
            span[n++] = ',';
            if (line.CustomerId != 0)
            {
                n += Number(span[n..], line.CustomerId);
            }

            span[n++] = ',';
            n += Text(span[n..], Countries[line.Country]);
            span[n++] = '\n';
            writer.Write(buffer, 0, n);
        });
    }

    /// <summary>
    /// Writes an XLSX the way Excel stores such data: numbers as numbers, dates as serials with a date
    /// format, text as inline strings. Streamed through a zip entry, so memory stays flat at any size.
    /// </summary>
    public static void WriteXlsx(Stream output, GeneratorOptions options)
    {
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        var sheets = (int)Math.Max(1, (options.Rows + RowsPerSheet - 1) / RowsPerSheet);
        Part(zip, "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">" +
            "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>" +
            "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>" +
            "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>" +
            string.Concat(Enumerable.Range(1, sheets).Select(s => $"<Override PartName=\"/xl/worksheets/sheet{s}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>")) +
            "</Types>");
        Part(zip, "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
            "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
        Part(zip, "xl/workbook.xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>" +
            string.Concat(Enumerable.Range(1, sheets).Select(s => $"<sheet name=\"Sheet{s}\" sheetId=\"{s}\" r:id=\"rId{s}\"/>")) +
            "</sheets></workbook>");
        Part(zip, "xl/_rels/workbook.xml.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
            string.Concat(Enumerable.Range(1, sheets).Select(s => $"<Relationship Id=\"rId{s}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{s}.xml\"/>")) +
            $"<Relationship Id=\"rId{sheets + 1}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>");
        // Style 1 is built-in number format 22, "m/d/yyyy h:mm": Excel shows the serials as date-times.
        Part(zip, "xl/styles.xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" +
            "<fonts count=\"1\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts><fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>" +
            "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>" +
            "<cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/><xf numFmtId=\"22\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>");

        StreamWriter? sheet = null;
        var sheetNumber = 0;
        var rowsInSheet = RowsPerSheet;
        var buffer = new char[1024];

        void StartSheet()
        {
            EndSheet();
            sheetNumber++;
            var entry = zip.CreateEntry($"xl/worksheets/sheet{sheetNumber}.xml", CompressionLevel.Fastest);
            sheet = new StreamWriter(entry.Open(), new UTF8Encoding(false), 1 << 16);
            sheet.Write("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row>");
            foreach (var column in Header.Split(','))
            {
                sheet.Write($"<c t=\"inlineStr\"><is><t>{column}</t></is></c>");
            }

            sheet.Write("</row>");
            rowsInSheet = 0;
        }

        void EndSheet()
        {
            if (sheet is not null)
            {
                sheet.Write("</sheetData></worksheet>");
                sheet.Dispose();
            }
        }

        Generate(options, line =>
        {
            if (rowsInSheet == RowsPerSheet)
            {
                StartSheet();
            }

            rowsInSheet++;
            var span = buffer.AsSpan();
            var n = Put(span, "<row>");
            if (line.Cancelled)
            {
                n += Put(span[n..], "<c t=\"inlineStr\"><is><t>C");
                n += Number(span[n..], line.Invoice);
                n += Put(span[n..], "</t></is></c>");
            }
            else
            {
                n += Put(span[n..], "<c><v>");
                n += Number(span[n..], line.Invoice);
                n += Put(span[n..], "</v></c>");
            }

            n += InlineString(span[n..], StockCodes[line.Product]);
            n += InlineString(span[n..], Descriptions[line.Product]);
            n += Put(span[n..], "<c><v>");
            n += Number(span[n..], line.Quantity);
            n += Put(span[n..], "</v></c><c s=\"1\"><v>");
            (line.Date - new DateTime(1899, 12, 30)).TotalDays.TryFormat(span[n..], out var written, "0.#########", System.Globalization.CultureInfo.InvariantCulture);
            n += written;
            n += Put(span[n..], "</v></c><c><v>");
            n += Cents(span[n..], line.UnitPriceCents);
            n += Put(span[n..], "</v></c>");
            if (line.CustomerId != 0)
            {
                n += Put(span[n..], "<c><v>");
                n += Number(span[n..], line.CustomerId);
                n += Put(span[n..], "</v></c>");
            }
            else
            {
                n += Put(span[n..], "<c/>");
            }

            n += InlineString(span[n..], Countries[line.Country]);
            n += Put(span[n..], "</row>");
            sheet!.Write(buffer, 0, n);
        });

        if (sheet is null)
        {
            StartSheet();
        }

        EndSheet();
    }

    private static void Part(ZipArchive zip, string name, string content)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name, CompressionLevel.Fastest).Open(), new UTF8Encoding(false));
        writer.Write(content);
    }

    // Generated text never holds XML's special characters, so it is written without escaping.
    private static int InlineString(Span<char> span, string text)
    {
        var n = Put(span, "<c t=\"inlineStr\"><is><t>");
        n += Put(span[n..], text);
        return n + Put(span[n..], "</t></is></c>");
    }

    private static int Put(Span<char> span, string text)
    {
        text.CopyTo(span);
        return text.Length;
    }

    private static int Text(Span<char> span, string text) => Put(span, text);

    private static int Number(Span<char> span, long value)
    {
        value.TryFormat(span, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        return written;
    }

    private static int Cents(Span<char> span, int cents)
    {
        var n = Number(span, cents / 100);
        span[n++] = '.';
        span[n++] = (char)('0' + (cents % 100 / 10));
        span[n++] = (char)('0' + (cents % 10));
        return n;
    }

    private static int UsDate(Span<char> span, DateTime date)
    {
        Two(span, date.Month);
        span[2] = '/';
        Two(span[3..], date.Day);
        span[5] = '/';
        Two(span[6..], date.Year / 100);
        Two(span[8..], date.Year % 100);
        span[10] = ' ';
        Two(span[11..], date.Hour);
        span[13] = ':';
        Two(span[14..], date.Minute);
        return 16;
    }

    private static void Two(Span<char> span, int value)
    {
        span[0] = (char)('0' + (value / 10));
        span[1] = (char)('0' + (value % 10));
    }

    private static string Describe(int product)
    {
        string[] adjectives = ["VINTAGE", "WHITE", "SET OF 3", "PACK OF 12", "REGENCY", "RETROSPOT", "JUMBO", "SMALL", "HANGING", "GLASS", "WOODEN", "PAPER"];
        string[] colours = ["RED", "PINK", "BLUE", "GREEN", "IVORY", "SILVER", "GOLD", "BLACK", "CREAM", "POLKADOT"];
        string[] things = ["HEART T-LIGHT HOLDER", "LUNCH BAG", "CAKE STAND", "TEA CUP AND SAUCER", "BUNTING", "DOORMAT", "NAPKINS", "CANDLE", "GIFT WRAP", "ALARM CLOCK",
            "WATER BOTTLE", "PHOTO FRAME", "STORAGE TIN", "PARTY BAG", "LANTERN", "CUSHION COVER", "MUG", "PLATE", "BAKING SET", "COAT RACK", "CHALKBOARD", "JAR", "BOWL", "BOX", "SIGN"];
        return $"{adjectives[product % adjectives.Length]} {colours[product / adjectives.Length % colours.Length]} {things[product / (adjectives.Length * colours.Length) % things.Length]}";
    }
}
