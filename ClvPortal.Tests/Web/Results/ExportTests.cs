using System.Net;
using System.Text;
using ClosedXML.Excel;

namespace ClvPortal.Tests.Web.Results;

[Trait("Category", "Integration")]
public sealed class ExportTests(PortalWebFactory factory) : IClassFixture<PortalWebFactory>
{
    private const string Hyperlink = "=HYPERLINK(\"http://evil.example\",\"Details\")";

    [Fact]
    public async Task ExportCsv_FormulaCustomerId_DownloadsEveryCustomerWithTheFormulaNeutralised()
    {
        var (client, ownerId) = await ResultsTestData.NewUserAsync(factory);
        var (uploadId, rows) = await ResultsTestData.SeedAsync(factory, ownerId, 40, Hyperlink);

        using var response = await client.GetAsync($"/analyses/{uploadId}/export/csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"clv-results-{uploadId:N}.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var lines = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF')
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(rows.Count + 1, lines.Length);
        // The formula customer has the highest CLV, so it is the first data line, neutralised (after its empty email).
        Assert.StartsWith(",\"'=HYPERLINK(", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportXlsx_FormulaCustomerId_IsTextNotAFormula()
    {
        var (client, ownerId) = await ResultsTestData.NewUserAsync(factory);
        var (uploadId, rows) = await ResultsTestData.SeedAsync(factory, ownerId, 40, Hyperlink);

        using var response = await client.GetAsync($"/analyses/{uploadId}/export/xlsx");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"clv-results-{uploadId:N}.xlsx", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        using var workbook = new XLWorkbook(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        var sheet = workbook.Worksheet("Customers");
        Assert.Equal(rows.Count + 1, sheet.LastRowUsed().RowNumber());
        Assert.False(sheet.Cell(2, 2).HasFormula);
        Assert.Equal("'" + Hyperlink, sheet.Cell(2, 2).GetString());
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("xlsx")]
    public async Task Export_AnyFormat_ForbidsCachingTheCustomerList(string format)
    {
        var (client, ownerId) = await ResultsTestData.NewUserAsync(factory);
        var (uploadId, _) = await ResultsTestData.SeedAsync(factory, ownerId, 5);

        using var response = await client.GetAsync($"/analyses/{uploadId}/export/{format}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore == true, $"Cache-Control: {response.Headers.CacheControl}");
    }

    [Fact]
    public async Task ExportXlsx_OverTheLimit_ExplainsAndOffersTheCsv()
    {
        await using var limited = new PortalWebFactory();
        limited.Settings["Results:XlsxMaxCustomers"] = "10";
        var (client, ownerId) = await ResultsTestData.NewUserAsync(limited);
        var (uploadId, _) = await ResultsTestData.SeedAsync(limited, ownerId, 11);

        var page = await PortalWebFactory.GetPageAsync(client, $"/analyses/{uploadId}/export/xlsx");

        Assert.Contains("limited to 10", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector($"a[href='/analyses/{uploadId}/export/csv']"));
    }
}
