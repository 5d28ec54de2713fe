using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace ClvPortal.Tests.Core.Ingest;

/// <summary>Small workbooks written with the OpenXML SDK, the way Excel stores them: shared strings, date-styled serials.</summary>
internal static class XlsxTestFiles
{
    /// <summary>A string cell stored inline (&lt;is&gt;) instead of in the shared strings table, as some exporters do.</summary>
    public sealed record Inline(string Text);

    public static byte[] Build(IEnumerable<(string Name, object?[][] Rows)> sheets, bool date1904 = false)
    {
        using var memory = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(memory, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            var sheetList = new Sheets();
            workbookPart.Workbook = new Workbook(new WorkbookProperties { Date1904 = date1904 }, sheetList);
            var styles = workbookPart.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = new Stylesheet(
                new Fonts(new Font()),
                new Fills(new Fill()),
                new Borders(new Border()),
                new CellFormats(new CellFormat(), new CellFormat { NumberFormatId = 22, ApplyNumberFormat = true }));
            var sharedStrings = new List<string>();
            uint sheetId = 1;
            foreach (var (name, rows) in sheets)
            {
                var worksheetPart = workbookPart.AddNewPart<WorksheetPart>();
                var data = new SheetData();
                for (var r = 0; r < rows.Length; r++)
                {
                    var row = new Row { RowIndex = (uint)(r + 1) };
                    for (var c = 0; c < rows[r].Length; c++)
                    {
                        if (rows[r][c] is { } value)
                        {
                            row.Append(Cell(value, $"{(char)('A' + c)}{r + 1}", sharedStrings, date1904));
                        }
                    }

                    data.Append(row);
                }

                worksheetPart.Worksheet = new Worksheet(data);
                sheetList.Append(new Sheet { Id = workbookPart.GetIdOfPart(worksheetPart), SheetId = sheetId++, Name = name });
            }

            var sharedPart = workbookPart.AddNewPart<SharedStringTablePart>();
            sharedPart.SharedStringTable = new SharedStringTable(sharedStrings.Select(s => new SharedStringItem(new Text(s))));
        }

        return memory.ToArray();
    }

    private static Cell Cell(object value, string reference, List<string> sharedStrings, bool date1904) => value switch
    {
        string text => new Cell { CellReference = reference, DataType = CellValues.SharedString, CellValue = new CellValue(Share(text, sharedStrings).ToString(CultureInfo.InvariantCulture)) },
        Inline inline => new Cell { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(inline.Text)) },
        DateTime date => new Cell { CellReference = reference, StyleIndex = 1, CellValue = new CellValue((date.ToOADate() - (date1904 ? 1462 : 0)).ToString(CultureInfo.InvariantCulture)) },
        _ => new Cell { CellReference = reference, CellValue = new CellValue(Convert.ToDouble(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)) },
    };

    private static int Share(string text, List<string> sharedStrings)
    {
        var index = sharedStrings.IndexOf(text);
        if (index < 0)
        {
            sharedStrings.Add(text);
            index = sharedStrings.Count - 1;
        }

        return index;
    }
}
