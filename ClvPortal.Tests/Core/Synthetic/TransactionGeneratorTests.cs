using System.Text;
using ClvPortal.Core.Synthetic;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace ClvPortal.Tests.Core.Synthetic;

[Trait("Category", "Unit")]
public sealed class TransactionGeneratorTests
{
    private static string[] CsvLines(GeneratorOptions options)
    {
        using var stream = new MemoryStream();
        TransactionGenerator.WriteCsv(stream, options);
        return Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public void WriteCsv_AnySize_WritesExactlyTheRowsAskedForUnderTheOnlineRetailHeader()
    {
        foreach (var rows in new[] { 0L, 1, 7, 20_000 })
        {
            var lines = CsvLines(new GeneratorOptions { Rows = rows });

            Assert.Equal("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country", lines[0]);
            Assert.Equal(rows, lines.Length - 1);
            Assert.All(lines.Skip(1), line => Assert.Equal(8, line.Split(',').Length));
        }
    }

    [Fact]
    public void WriteCsv_SameSeed_WritesTheSameFileAndAnotherSeedDoesNot()
    {
        var options = new GeneratorOptions { Rows = 5_000, Seed = 42 };

        Assert.Equal(CsvLines(options), CsvLines(options));
        Assert.NotEqual(CsvLines(options), CsvLines(options with { Seed = 43 }));
    }

    [Fact]
    public void WriteCsv_RealisticFile_HasRepeatBuyersAndTheFlawsOfRealExports()
    {
        var rows = CsvLines(new GeneratorOptions { Rows = 100_000, Customers = 1_000 }).Skip(1).Select(l => l.Split(',')).ToList();

        Assert.Contains(rows, r => r[0].StartsWith('C') && r[3].StartsWith('-'));
        Assert.InRange(rows.Count(r => r[6].Length == 0), 5_000, 20_000);
        Assert.Contains(rows, r => r[5] == "0.00");
        Assert.InRange(rows.Zip(rows.Skip(1)).Count(p => p.First.SequenceEqual(p.Second)), 300, 2_000);
        var invoicesPerCustomer = rows.Where(r => r[6].Length > 0).GroupBy(r => r[6]).Select(g => g.Select(r => r[0]).Distinct().Count()).ToList();
        Assert.InRange(invoicesPerCustomer.Count, 500, 1_000);
        Assert.True(invoicesPerCustomer.Count(n => n > 1) > invoicesPerCustomer.Count / 3, "a third of customers should come back");
        Assert.Matches(@"^\d\d/\d\d/20\d\d \d\d:\d\d$", rows[0][4]);
    }

    [Fact]
    public void WriteXlsx_Workbook_OpensWithOpenXmlWithDatesAsStyledSerials()
    {
        using var stream = new MemoryStream();
        TransactionGenerator.WriteXlsx(stream, new GeneratorOptions { Rows = 2_000 });
        stream.Position = 0;

        using var document = SpreadsheetDocument.Open(stream, false);
        var sheet = Assert.Single(document.WorkbookPart!.WorksheetParts).Worksheet;
        var rows = sheet.Descendants<Row>().ToList();
        Assert.Equal(2_001, rows.Count);
        var date = rows[1].Elements<Cell>().ElementAt(4);
        Assert.Equal(1u, date.StyleIndex!.Value);
        Assert.InRange(double.Parse(date.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture), 44_927, 45_657); // 2023-01-01 .. 2024-12-31
    }
}
