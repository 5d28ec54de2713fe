using System.Text;
using ClvPortal.Core;
using ClvPortal.Core.Ingest;

namespace ClvPortal.Tests.Core.Ingest;

/// <summary>The check-columns step's reading: a preview from the head of the file, and the refusal of a wrong mapping before any analysis.</summary>
[Trait("Category", "Unit")]
public sealed class FilePreviewTests
{
    // Column layout of the UCI "Online Retail" data set (Chen, Sain & Guo 2012); invented rows.
    private const string OnlineRetail =
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n" +
        "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/2010 8:26,2.55,17850,United Kingdom\n" +
        "536366,22633,HAND WARMER UNION JACK,6,12/1/2010 8:28,1.85,17851,United Kingdom\n" +
        "536367,84879,ASSORTED COLOUR BIRD ORNAMENT,32,12/1/2010 8:34,1.69,13047,France\n" +
        "536368,22960,JAM MAKING SET WITH JARS,6,12/1/2010 8:34,4.25,13047,France\n" +
        "536369,21756,BATH BUILDING BLOCK WORD,3,12/1/2010 8:35,5.95,13047,France\n" +
        "536370,22728,ALARM CLOCK BAKELIKE PINK,24,12/13/2010 8:45,3.75,12583,France\n";

    private static readonly ColumnMapping OnlineRetailMapping = new()
    {
        CustomerId = "CustomerID", Date = "InvoiceDate", Quantity = "Quantity", UnitPrice = "UnitPrice",
        InvoiceId = "InvoiceNo", Country = "Country", Product = "StockCode",
    };

    private static MemoryStream Stream(string text) => new(Encoding.UTF8.GetBytes(text));

    private static InputProblem? Check(string text, ColumnMapping mapping, string fileName = "orders.csv") =>
        FilePreview.Check(Stream(text), fileName, new IngestOptions { Overrides = mapping });

    [Fact]
    public void Read_OnlineRetailCsv_DetectsEveryColumnAndShowsTheFirstFiveRowsAsWritten()
    {
        var (preview, problem) = FilePreview.Read(Stream(OnlineRetail), "retail.csv", new IngestOptions());

        Assert.Null(problem);
        Assert.Equal(OnlineRetailMapping, preview!.Description.Mapping);
        Assert.Null(preview.Missing);
        Assert.Equal([2L, 3L, 4L, 5L, 6L], preview.Rows.Select(r => r.Line));
        Assert.Equal(["536365", "85123A", "WHITE HANGING HEART T-LIGHT HOLDER", "6", "12/1/2010 8:26", "2.55", "17850", "United Kingdom"], preview.Rows[0].Fields);
    }

    [Fact]
    public void Read_NoRecognisableCustomerColumn_StillPreviewsAndSaysWhatToChoose()
    {
        const string csv = "Kunde,Datum,Betrag\nK1,2025-01-05,12.50\nK2,2025-01-06,8.00\n";

        var (preview, problem) = FilePreview.Read(Stream(csv), "bestellungen.csv", new IngestOptions());

        Assert.Null(problem);
        Assert.Equal(["Kunde", "Datum", "Betrag"], preview!.Description.Columns);
        Assert.Null(preview.Description.Mapping.CustomerId);
        Assert.Equal("Datum", preview.Description.Mapping.Date);
        Assert.Contains("customer id", preview.Missing!.Message, StringComparison.Ordinal);
        Assert.Equal(2, preview.Rows.Count);
    }

    [Fact]
    public void Read_NotATable_GivesTheFileProblem()
    {
        var (preview, problem) = FilePreview.Read(new MemoryStream([0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x34, 0x0A, .. new byte[100]]), "orders.csv", new IngestOptions());

        Assert.Null(preview);
        Assert.Contains("orders.csv", problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WorkbookWithTwoSheets_ListsBothAndPreviewsTheChosenOne()
    {
        var workbook = XlsxTestFiles.Build([
            ("Read me", [["This export was made on 2 May"]]),
            ("Orders", [["Customer", "Order date", "Total"], ["K1", new DateTime(2024, 3, 5), 12.5], ["K2", new DateTime(2024, 3, 6), 8.0]]),
        ]);

        var (preview, problem) = FilePreview.Read(new MemoryStream(workbook), "shop.xlsx", new IngestOptions { Sheet = "Orders" });

        Assert.Null(problem);
        Assert.Equal(["Read me", "Orders"], preview!.WorkbookSheets);
        Assert.Equal(["Orders"], preview.Description.Sheets);
        Assert.Equal(new ColumnMapping { CustomerId = "Customer", Date = "Order date", Amount = "Total" }, preview.Description.Mapping);
        Assert.Equal("K1", preview.Rows[0].Fields[0]);
    }

    [Fact]
    public void Read_CdnowText_PreviewsItsFixedColumns()
    {
        const string cdnow = "00001 19970101 1 11.77\n00002 19970112 1 12.00\n";

        var (preview, _) = FilePreview.Read(Stream(cdnow), "CDNOW_master.txt", new IngestOptions());

        Assert.Equal("cdnow", preview!.Description.Format);
        Assert.Equal(["00001", "19970101", "1", "11.77"], preview.Rows[0].Fields);
    }

    [Fact]
    public void Check_DetectedOnlineRetailMapping_Passes() => Assert.Null(Check(OnlineRetail, OnlineRetailMapping));

    [Fact]
    public void Check_SameColumnForTwoFields_NamesTheColumnAndBothFields()
    {
        var problem = Check(OnlineRetail, OnlineRetailMapping with { Product = "InvoiceNo" });

        Assert.Equal("The column \"InvoiceNo\" is chosen for both the invoice / order id and the product.", problem!.Message);
    }

    [Theory]
    [InlineData(null, "InvoiceDate", "customer id")]
    [InlineData("CustomerID", null, "purchase date")]
    public void Check_RequiredFieldNotChosen_SaysWhichToChoose(string? customer, string? date, string field)
    {
        var problem = Check(OnlineRetail, OnlineRetailMapping with { CustomerId = customer, Date = date });

        Assert.Equal($"No column is chosen for the {field}.", problem!.Message);
    }

    [Fact]
    public void Check_OnlyQuantityWithoutPriceOrAmount_AsksForTheAmount()
    {
        var problem = Check(OnlineRetail, OnlineRetailMapping with { UnitPrice = null });

        Assert.Contains("Only the quantity is chosen", problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_TextColumnChosenAsDate_QuotesAValueThatIsNotADate()
    {
        var problem = Check(OnlineRetail, OnlineRetailMapping with { Date = "Description", Product = null });

        Assert.StartsWith("The column \"Description\" chosen as the purchase date does not hold dates: \"WHITE HANGING HEART T-LIGHT HOLDER\" on line 2 is not a date", problem!.Message, StringComparison.Ordinal);
        Assert.Contains("6 of the first 6 rows", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_TextColumnChosenAsAmount_QuotesAValueThatIsNotANumber()
    {
        var problem = Check(OnlineRetail, OnlineRetailMapping with { Amount = "Country", Country = null });

        Assert.StartsWith("The column \"Country\" chosen as the amount does not hold numbers: \"United Kingdom\" on line 2", problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ColumnNotInTheFile_SaysSoAndListsTheColumns()
    {
        var problem = Check(OnlineRetail, OnlineRetailMapping with { Country = "Land" });

        Assert.Contains("\"Land\"", problem!.Message, StringComparison.Ordinal);
        Assert.Contains("\"CustomerID\"", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_FieldLeftAtNone_IsNotDetectedAgain()
    {
        // Detection would take "Country" for the country; the user said the file has none.
        var stream = Stream(OnlineRetail);
        using var file = TransactionFile.Open(stream, "retail.csv", new IngestOptions { Overrides = OnlineRetailMapping with { Country = null }, DetectColumns = false });

        Assert.Null(file.Description.Mapping.Country);
        Assert.All(file.ReadRows(), r => Assert.Null(r.Country));
    }
}
