using System.Diagnostics;
using AngleSharp.Html.Dom;
using ClvPortal.Web.Data;
using MongoDB.Driver;
using netDumbster.smtp;
using Xunit.Abstractions;

namespace ClvPortal.Tests.Web.Analyses;

/// <summary>
/// The whole flow with the real Core pipeline: upload through the streaming endpoint, the Hangfire job
/// analyses it, results are stored, and the owner gets an email.
/// </summary>
[Trait("Category", "Integration")]
[Collection(AnalysesCollection.Name)]
public sealed class AnalysisFlowTests(ITestOutputHelper output) : IDisposable
{
    private readonly SimpleSmtpServer _smtp = SimpleSmtpServer.Start();

    public void Dispose() => _smtp.Dispose();

    private PortalWebFactory NewFactory()
    {
        var factory = new PortalWebFactory();
        factory.UseSmtp(_smtp.Configuration.Port);
        factory.Settings["Portal:PublicBaseUrl"] = "https://clv.example.test";
        return factory;
    }

    [Fact]
    public async Task Upload_GeneratedCsv_StoresOneResultPerCustomerAndEmailsTheResultsLink()
    {
        await using var factory = NewFactory();
        var email = PortalWebFactory.NewEmail("flow");
        using var client = await factory.RegisterAndLogInAsync(email);

        var id = await AnalysesTestKit.UploadOkAsync(client, "shop.csv", AnalysesTestKit.GeneratedCsv(400));

        var upload = await AnalysesTestKit.WaitForFinishAsync(factory, id);
        Assert.True(upload.Status == UploadStatus.Succeeded, $"{upload.Status}: {upload.Error} {upload.ErrorWhatToDo}");
        var db = new PortalDb(factory.Database);
        Assert.Equal(400, upload.Customers);
        Assert.Equal(400, await db.CustomerResults.CountDocumentsAsync(c => c.UploadId == id));
        var analysis = await db.AnalysisResults.Find(a => a.Id == id).FirstAsync();
        Assert.Equal(400, analysis.Customers);
        Assert.Equal(upload.OwnerId, analysis.OwnerId);
        Assert.Equal("csv", analysis.File.Format);
        Assert.Equal(upload.TotalRevenue!.Value, analysis.TotalRevenue, 6);
        Assert.Equal(100, upload.Percent);

        var message = await EmailTestKit.WaitForEmailAsync(_smtp, email);
        Assert.Contains($"https://clv.example.test/Analyses/Results?id={id}", message.TextBody, StringComparison.Ordinal);
    }

    /// <summary>
    /// A real data set at full size: CDNOW (Fader, Hardie &amp; Lee 2005), 69,659 purchases of 23,570 customers,
    /// read, modelled and saved through the portal, then paged through in the customer table.
    /// </summary>
    [Fact]
    public async Task Upload_FullCdnow_StoresAllCustomersAndTheTablePagesThroughThem()
    {
        const int cdnowCustomers = 23_570;
        const int pageSize = 50;
        await using var factory = NewFactory();
        using var client = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("cdnow"));
        var clock = Stopwatch.StartNew();

        var id = await AnalysesTestKit.UploadOkAsync(client, "CDNOW_master.txt", await File.ReadAllBytesAsync(TestData.CdnowPath));

        var upload = await AnalysesTestKit.WaitForFinishAsync(factory, id);
        output.WriteLine($"CDNOW analysed and saved {clock.Elapsed.TotalSeconds:0.0} s after the upload began, {(upload.FinishedAt - upload.StartedAt)?.TotalSeconds:0.0} s of it in the job");
        Assert.True(upload.Status == UploadStatus.Succeeded, $"{upload.Status}: {upload.Error} {upload.ErrorWhatToDo}");
        Assert.Equal(cdnowCustomers, upload.Customers);
        var db = new PortalDb(factory.Database);
        var clvs = (await db.CustomerResults.Find(c => c.UploadId == id).Project(c => new { c.CustomerId, c.HeadlineClv }).ToListAsync())
            .ToDictionary(c => c.CustomerId, c => c.HeadlineClv, StringComparer.Ordinal);
        Assert.Equal(cdnowCustomers, clvs.Count);
        var byClv = clvs.Values.OrderDescending().ToList();

        // First, second, a middle and the last page: each holds the next customers by CLV, and the last the remaining 20.
        var lastPage = (cdnowCustomers + pageSize - 1) / pageSize;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var page in new[] { 1, 2, lastPage / 2, lastPage })
        {
            var ids = CustomerIds(await PortalWebFactory.GetPageAsync(client, $"/analyses/{id}/customers?sort=Clv&dir=desc&p={page}"));
            Assert.Equal(byClv.Skip((page - 1) * pageSize).Take(pageSize), ids.Select(c => clvs[c]));
            Assert.All(ids, c => Assert.True(seen.Add(c), $"{c} appears on two pages"));
        }

        Assert.Equal(cdnowCustomers - ((lastPage - 1) * pageSize), CustomerIds(await PortalWebFactory.GetPageAsync(client, $"/analyses/{id}/customers?p={lastPage}")).Count);
        output.WriteLine($"whole test {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private static List<string> CustomerIds(IHtmlDocument page) =>
        [.. page.QuerySelectorAll("table[data-table=customers] tbody tr td:first-child a").Select(a => a.TextContent.Trim())];

    [Fact]
    public async Task Upload_CsvWithoutADateColumn_FailsWithAMessageAboutTheDateAndEmailsIt()
    {
        await using var factory = NewFactory();
        var email = PortalWebFactory.NewEmail("nodate");
        using var client = await factory.RegisterAndLogInAsync(email);

        var id = await AnalysesTestKit.UploadOkAsync(client, "nodates.csv", AnalysesTestKit.GeneratedCsv(50, withDate: false));

        var upload = await AnalysesTestKit.WaitForFinishAsync(factory, id);
        Assert.Equal(UploadStatus.Failed, upload.Status);
        Assert.Contains("date", upload.Error, StringComparison.OrdinalIgnoreCase);
        Assert.False(string.IsNullOrWhiteSpace(upload.ErrorWhatToDo));
        Assert.Equal(1, upload.Attempts);
        var db = new PortalDb(factory.Database);
        Assert.Equal(0, await db.CustomerResults.CountDocumentsAsync(c => c.UploadId == id));
        Assert.Equal(0, await db.AnalysisResults.CountDocumentsAsync(a => a.Id == id));

        var message = await EmailTestKit.WaitForEmailAsync(_smtp, email);
        Assert.Contains("failed", message.Subject, StringComparison.Ordinal);
        Assert.Contains(upload.Error!, message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_XlsxWithAChosenSheet_AnalysesThatSheetFromGridFs()
    {
        await using var factory = NewFactory();
        using var client = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("xlsx"));
        var orders = new List<object?[]> { new object?[] { "customer", "date", "amount" } };
        for (var c = 1; c <= 30; c++)
        {
            orders.Add(["K" + c, new DateTime(2024, 1, c % 28 + 1), 10.0 * c]);
            orders.Add(["K" + c, new DateTime(2024, 6, c % 28 + 1), 5.0 * c]);
        }

        var workbook = Core.Ingest.XlsxTestFiles.Build([("Read me", [["This sheet explains the export"]]), ("Orders", orders.ToArray())]);

        var id = await AnalysesTestKit.UploadOkAsync(client, "shop.xlsx", workbook, new Dictionary<string, string> { ["Sheet"] = "Orders" });

        var upload = await AnalysesTestKit.WaitForFinishAsync(factory, id);
        Assert.True(upload.Status == UploadStatus.Succeeded, $"{upload.Status}: {upload.Error} {upload.ErrorWhatToDo}");
        Assert.Equal(30, upload.Customers);
        var analysis = await new PortalDb(factory.Database).AnalysisResults.Find(a => a.Id == id).FirstAsync();
        Assert.Equal("xlsx", analysis.File.Format);
        Assert.Equal(["Orders"], analysis.File.Sheets);
    }
}
