using ClvPortal.Core.Ingest;
using static ClvPortal.Tests.Core.Ingest.IngestTestFiles;

namespace ClvPortal.Tests.Core.Ingest;

[Trait("Category", "Unit")]
public sealed class TransactionFileXlsxTests
{
    private static readonly object?[] Header = ["Invoice", "StockCode", "Description", "Quantity", "InvoiceDate", "Price", "Customer ID", "Country"];

    /// <summary>Shaped like the UCI "Online Retail II" workbook: one sheet per year under the same header, plus an unrelated sheet.</summary>
    private static byte[] OnlineRetailII() => XlsxTestFiles.Build(
    [
        ("Year 2009-2010", [Header, ["489434", "85048", "GLASS BALL", 12, new DateTime(2009, 12, 1, 7, 45, 0), 6.95, 13085, "United Kingdom"]]),
        ("Notes", [["Exported by", "shop"]]),
        ("Year 2010-2011", [Header, ["536365", "85123A", "T-LIGHT HOLDER", 6, new DateTime(2010, 12, 1, 8, 26, 0), 2.55, 17850, "United Kingdom"],
            ["C536379", "D", "Discount", -1, new DateTime(2010, 12, 1, 9, 41, 0), 27.5, 14527, "United Kingdom"]]),
    ]);

    [Fact]
    public void ReadRows_SheetsSharingTheHeader_ReadsThemInOrderAsOneTable()
    {
        using var file = Open(OnlineRetailII(), "online_retail_II.xlsx");
        var rows = file.ReadRows().ToList();

        Assert.Equal("xlsx", file.Description.Format);
        Assert.Equal(["Year 2009-2010", "Year 2010-2011"], file.Description.Sheets);
        Assert.Equal(["489434", "536365", "C536379"], rows.Select(r => r.InvoiceId));
        Assert.Equal(["Year 2009-2010", "Year 2010-2011", "Year 2010-2011"], rows.Select(r => r.Sheet));
        Assert.Equal([2L, 2L, 3L], rows.Select(r => r.Line));
        Assert.Equal(new DateTime(2009, 12, 1, 7, 45, 0), rows[0].Date);
        Assert.Equal(12 * 6.95, rows[0].Amount!.Value, 9);
        Assert.Equal("13085", rows[0].CustomerId);
        Assert.All(rows, r => Assert.Equal(RowFlaws.None, r.Flaws));
    }

    [Fact]
    public void ReadRows_SheetOption_ReadsOnlyThatSheet()
    {
        using var file = Open(OnlineRetailII(), "online_retail_II.xlsx", new IngestOptions { Sheet = "year 2010-2011" });

        Assert.Equal(["536365", "C536379"], file.ReadRows().Select(r => r.InvoiceId));
        Assert.Equal(["Year 2010-2011"], file.Description.Sheets);
    }

    [Fact]
    public void Open_SheetOptionNotInWorkbook_ListsTheSheets()
    {
        var problem = ProblemOf(() => Open(OnlineRetailII(), "online_retail_II.xlsx", new IngestOptions { Sheet = "2012" }));

        Assert.Contains("\"2012\"", problem.Message, StringComparison.Ordinal);
        Assert.Contains("\"Year 2009-2010\", \"Notes\", \"Year 2010-2011\"", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRows_Date1904SystemAndInlineStrings_ReadsTheSameDates()
    {
        // Workbooks from older Mac Excel count serials from 1904-01-01 (workbookPr date1904).
        var bytes = XlsxTestFiles.Build(
            [("Orders", [
                [new XlsxTestFiles.Inline("customer"), new XlsxTestFiles.Inline("date"), new XlsxTestFiles.Inline("amount")],
                [new XlsxTestFiles.Inline("ann"), new DateTime(2024, 2, 29, 18, 30, 0), 19.99],
            ])],
            date1904: true);

        using var file = Open(bytes, "orders.xlsx");
        var row = Assert.Single(file.ReadRows());

        Assert.Equal(("ann", new DateTime(2024, 2, 29, 18, 30, 0), 19.99), (row.CustomerId, row.Date, row.Amount));
    }

    [Fact]
    public void ReadRows_CellsLeftOut_KeepColumnsAlignedAndFlagMissing()
    {
        var bytes = XlsxTestFiles.Build([("Orders", [["customer", "date", "amount"], [null, new DateTime(2025, 1, 1), 5], ["bo", new DateTime(2025, 1, 2), null]])]);

        using var file = Open(bytes, "orders.xlsx");
        var rows = file.ReadRows().ToList();

        Assert.Equal([RowFlaws.MissingCustomerId, RowFlaws.MissingAmount], rows.Select(r => r.Flaws));
        Assert.Equal(5.0, rows[0].Amount);
    }

    [Fact]
    public void ReadRows_TitleAboveTheHeader_FindsTheHeaderBelowIt()
    {
        var bytes = XlsxTestFiles.Build([("Report", [["Sales report 2025"], [], ["customer", "date", "amount"], ["ann", new DateTime(2025, 1, 1), 5]])]);

        using var file = Open(bytes, "report.xlsx");
        var row = Assert.Single(file.ReadRows());

        Assert.Equal(["customer", "date", "amount"], file.Description.Columns);
        Assert.Equal(("ann", 4L), (row.CustomerId, row.Line));
    }

    [Fact]
    public void ReadRows_NonSeekableWorkbookStream_ReadsRows()
    {
        using var file = TransactionFile.Open(new TransactionFileCsvTests.NonSeekableStream(OnlineRetailII()), "upload.xlsx", new IngestOptions());

        Assert.Equal(3, file.ReadRows().Count());
    }
}
